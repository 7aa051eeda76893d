// AFTER: the same app on sessionward (see docs/migrating-from-express-session.md).
import express from 'express';
import { requireSession, sessionErrorHandler, sessionward } from 'sessionward/express';
import { exampleSessions } from '../shared/setup.js';

const { manager } = exampleSessions(); // the SessionManager: in memory, or Redis when REDIS_URL is set
const app = express();
app.use(express.json());
// A plain-HTTP example: a real app keeps the default Secure __Host-sid cookie behind TLS.
app.use(sessionward({ manager, cookie: { name: 'sid', secure: false } }));

// regenerate() + assign: login() always issues a new id and ends the request's old session.
app.post('/login', async (req, res) => {
  const session = await req.session.login(String(req.body?.userId ?? ''), { data: { cart: 0 } });
  res.json({ userId: session.userId });
});
// req.session.cart = …: a field-level update. A read-modify-write is guarded by the version read,
// so a parallel request's increment is never silently lost: the loser gets a 409 and retries.
app.post('/cart', requireSession(), async (req, res) => {
  const current = req.session.session!;
  const updated = await manager.update(current.id, { set: { cart: Number(current.data.cart ?? 0) + 1 } }, { expectedVersion: current.version });
  res.json({ cart: updated?.data.cart });
});
app.get('/api/me', requireSession(), (req, res) => {
  const { userId, data } = req.session.session!;
  res.json({ userId, cart: data.cart ?? 0 });
});
// destroy(): logout() ends the session in the store and clears the cookie.
app.post('/logout', requireSession(), async (req, res) => {
  await req.session.logout();
  res.sendStatus(204);
});
app.use(sessionErrorHandler());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`sessionward migration example listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 3000}`);
});
