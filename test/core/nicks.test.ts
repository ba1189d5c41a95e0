import { MemoryNicks } from '../../src/core/nicks.js';
import { nicksContract } from './nicks-contract.js';

nicksContract('MemoryNicks', () => new MemoryNicks());
