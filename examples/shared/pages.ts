import type { Session } from 'sessionward';

const layout = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>` +
  `<style>body{font-family:system-ui;max-width:42rem;margin:3rem auto}li{margin:.5rem 0}</style></head><body>${body}</body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const loginPage = (message = '') =>
  layout(
    'Sign in',
    `<h1>Sign in</h1>${message ? `<p>${escapeHtml(message)}</p>` : ''}
<form id="login"><input name="userId" placeholder="user name" required> <button>Sign in</button></form>
<script>
document.getElementById('login').onsubmit = async (event) => {
  event.preventDefault();
  const userId = new FormData(event.target).get('userId');
  const response = await fetch('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) });
  if (response.ok) location.href = '/';
  else document.body.insertAdjacentHTML('beforeend', '<pre>' + JSON.stringify(await response.json(), null, 2) + '</pre>');
};
</script>`,
  );

export const homePage = (session: Session) =>
  layout(
    'Home',
    `<h1>Hello, ${escapeHtml(session.userId)}</h1>
<p>Signed in with ${escapeHtml(session.deviceInfo.browser)} on ${escapeHtml(session.deviceInfo.os)}.</p>
<p><a href="/devices">Your devices</a> · <button onclick="fetch('/sessions/logout',{method:'POST'}).then(()=>location.href='/login')">Sign out</button></p>`,
  );

export const devicesPage = () =>
  layout(
    'Your devices',
    `<h1>Your devices</h1><ul id="devices"></ul><button id="others">Sign out everywhere else</button> <a href="/">Home</a>
<script>
async function load() {
  const { sessions } = await (await fetch('/sessions')).json();
  document.getElementById('devices').innerHTML = sessions.map((s) =>
    '<li>' + s.device.browser + ' on ' + s.device.os + ' · ' + s.ip + ' · last active ' + new Date(s.lastAccess).toLocaleString() +
    (s.current ? ' <b>(this device)</b>' : ' <button data-id="' + s.id + '">Sign out</button>') + '</li>').join('');
  for (const button of document.querySelectorAll('[data-id]')) button.onclick = () => fetch('/sessions/' + button.dataset.id, { method: 'DELETE' }).then(load);
}
document.getElementById('others').onclick = () => fetch('/sessions/revoke-others', { method: 'POST' }).then(load);
load();
</script>`,
  );
