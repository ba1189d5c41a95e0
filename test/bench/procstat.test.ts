import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { processCpuSeconds } from '../../src/bench/procstat.js';

function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // on CPU
  }
}

describe('processCpuSeconds', { skip: process.platform !== 'linux' }, () => {
  it("reads a process's time on CPU, to better than the 10-ms clock tick where the kernel keeps schedstat", () => {
    const before = processCpuSeconds(process.pid)!;
    burn(200);
    const after = processCpuSeconds(process.pid)!;
    assert.ok(after - before >= 0.15 && after - before < 2, `200 ms burnt, ${after - before} s read`);
    if (existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`)) {
      const ticks = after * 100;
      assert.notEqual(ticks, Math.round(ticks), `nanoseconds, not ticks: ${after}`);
    }
  });

  it('is undefined for a process that is not there', () => {
    assert.equal(processCpuSeconds(2 ** 22 + 12345), undefined);
  });
});
