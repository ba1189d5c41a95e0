/**
 * The person's account in the page: sign in or register (beside the nickname form: a guest can still just
 * pick a nickname), the account menu in the chat (change password, sign out). The sign-in itself is an
 * `HttpOnly` cookie the page never sees: `/api/me` says whose it is, and the WebSocket carries it.
 */
import { closeOnPurpose, enter, send } from './connection.js';
import { renderAccount } from './render.js';
import { el, state, tr } from './state.js';
import { forget } from './storage.js';

interface Answer {
  account?: { name: string } | null;
  error?: string;
  text?: string;
}

/** One call of the sign-in API (same origin, relative to the page, so a proxy may serve it under a path). */
async function call(path: string, body?: Record<string, unknown>): Promise<{ ok: boolean; data: Answer }> {
  const url = new URL(`api/${path}`, location.href);
  url.search = '';
  const res = await fetch(
    url,
    body === undefined
      ? { credentials: 'same-origin' }
      : {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...body, lang: state.lang }),
        },
  );
  const data = (await res.json().catch(() => ({}))) as Answer;
  return { ok: res.ok, data };
}

/** Asks the server whose sign-in this browser has (on load); the nickname field then offers the account's. */
export async function refreshAccount(): Promise<void> {
  try {
    const { data } = await call('me');
    state.account = data.account?.name;
  } catch {
    return; // the server is away: the nickname form says so when used
  }
  if (state.account && !state.me && el.nick.value === '') el.nick.value = state.account;
  renderAccount();
}

async function signIn(action: 'login' | 'register'): Promise<void> {
  const name = el.accountName.value.trim();
  el.accountError.textContent = tr('account.working');
  let r: { ok: boolean; data: Answer };
  try {
    r = await call(action, { name, password: el.accountPassword.value });
  } catch {
    el.accountError.textContent = tr('login.unreachable');
    return;
  }
  if (!r.ok || !r.data.account) {
    el.accountError.textContent = r.data.text ?? tr('login.unreachable');
    el.accountPassword.focus();
    return;
  }
  el.accountPassword.value = '';
  el.accountError.textContent = '';
  state.account = r.data.account.name;
  renderAccount();
  // Straight into the chat, under the account's name.
  el.nick.value = state.account;
  enter(state.account);
}

/** Signs out on the server, leaves the chat and starts again as a guest. */
async function signOut(): Promise<void> {
  await call('logout', {}).catch(() => undefined);
  state.account = undefined;
  if (state.ws) {
    send({ type: 'quit' });
    closeOnPurpose();
  }
  forget();
  location.reload();
}

async function changePassword(): Promise<void> {
  el.passwordResult.textContent = tr('account.working');
  el.passwordResult.classList.remove('error');
  let r: { ok: boolean; data: Answer };
  try {
    r = await call('password', { current: el.currentPassword.value, password: el.newPassword.value });
  } catch {
    r = { ok: false, data: { text: tr('login.unreachable') } };
  }
  el.passwordResult.textContent = r.ok ? tr('account.changed') : (r.data.text ?? tr('login.unreachable'));
  el.passwordResult.classList.toggle('error', !r.ok);
  if (r.ok) el.passwordForm.reset();
}

el.accountForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void signIn(ev.submitter?.id === 'register' ? 'register' : 'login');
});
el.passwordForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void changePassword();
});
el.signOut.addEventListener('click', () => void signOut());
el.signOutLogin.addEventListener('click', () => void signOut());
el.accountButton.addEventListener('click', () => {
  el.accountPanel.hidden = !el.accountPanel.hidden;
  el.accountButton.setAttribute('aria-expanded', String(!el.accountPanel.hidden));
  el.passwordResult.textContent = '';
  if (!el.accountPanel.hidden) el.currentPassword.focus();
});
