import type { Section } from './types.js';

/**
 * Texts of the web door's sign-in API (`web.signIn.`): the `text` of its JSON errors, keyed by their
 * stable `error` code (src/protocols/web/sign-in-api.ts).
 */
export const webSignIn: Section = {
  'web.signIn.error.BAD_CREDENTIALS': {
    en: 'Wrong account or password.',
    'pt-BR': 'Conta ou senha incorreta.',
  },
  'web.signIn.error.THROTTLED': {
    en: 'Too many attempts: wait {secs} s and try again.',
    'pt-BR': 'Tentativas demais: espere {secs} s e tente de novo.',
  },
  'web.signIn.error.BAD_NAME': {
    en: 'The name {name} cannot be an account: {problem}.',
    'pt-BR': 'O nome {name} não pode ser uma conta: {problem}.',
  },
  'web.signIn.error.BAD_PASSWORD': {
    en: 'That password cannot be used: {why}.',
    'pt-BR': 'Essa senha não pode ser usada: {why}.',
  },
  'web.signIn.error.EXISTS': {
    en: 'The name {name} is already registered. Sign in instead, or choose another name.',
    'pt-BR': 'O nome {name} já está registrado. Entre na conta, ou escolha outro nome.',
  },
  'web.signIn.error.CLOSED': {
    en: 'This server does not let people register themselves; ask its operator for an account.',
    'pt-BR': 'Este servidor não permite que as pessoas se registrem; peça uma conta ao operador.',
  },
  'web.signIn.error.NOT_SIGNED_IN': {
    en: 'You are not signed in (or your sign-in has expired).',
    'pt-BR': 'Você não está conectado à sua conta (ou a sessão expirou).',
  },
  'web.signIn.error.BAD_CURRENT': {
    en: 'The current password is wrong.',
    'pt-BR': 'A senha atual está incorreta.',
  },
  'web.signIn.error.NOT_FOUND': { en: 'No such API.', 'pt-BR': 'Essa API não existe.' },
  'web.signIn.error.METHOD': { en: 'Method not allowed.', 'pt-BR': 'Método não permitido.' },
  'web.signIn.error.ORIGIN': {
    en: 'Requests from this origin are not allowed.',
    'pt-BR': 'Pedidos desta origem não são permitidos.',
  },
  'web.signIn.error.NOT_JSON': {
    en: 'The request must be JSON (Content-Type: application/json).',
    'pt-BR': 'O pedido precisa ser JSON (Content-Type: application/json).',
  },
  'web.signIn.error.TOO_LARGE': {
    en: 'The request is too large (at most {max} bytes).',
    'pt-BR': 'O pedido é grande demais (no máximo {max} bytes).',
  },
  'web.signIn.error.BAD_REQUEST': {
    en: 'The request is not valid.',
    'pt-BR': 'O pedido não é válido.',
  },
  'web.signIn.name.empty': { en: 'it is empty', 'pt-BR': 'está vazio' },
  'web.signIn.name.tooLong': {
    en: 'it is too long (at most 30 characters)',
    'pt-BR': 'é longo demais (no máximo 30 caracteres)',
  },
  'web.signIn.name.badStart': {
    en: 'it may not start with a digit, "-", "#", ":" or "&"',
    'pt-BR': 'não pode começar com dígito, "-", "#", ":" ou "&"',
  },
  'web.signIn.name.badChars': {
    en: 'use letters, digits and _-[]\\`^{}|',
    'pt-BR': 'use letras, dígitos e _-[]\\`^{}|',
  },
};
