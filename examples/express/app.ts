import express from 'express';
import { requireSession, sessionErrorHandler, sessionward } from 'sessionward/express';
import { exampleSessions, listening } from '../shared/setup.js';
import { devicesPage, homePage, loginPage } from '../shared/pages.js';

const { manager, storeName } = exampleSessions();
const app = express();
app.set('trust proxy', 'loopback');
app.use(express.json());
app.use(sessionward({ manager, cookie: { name: '__Host-sid' } }));

app.get('/login', (_req, res) => void res.type('html').send(loginPage()));
app.post('/login', async (req, res) => {
  // A real app checks a password (or SSO) here; the example trusts the name it is given.
  const session = await req.session.login(String(req.body?.userId ?? ''));
  res.json({ userId: session.userId });
});
app.get('/', async (req, res) => {
  const session = await req.session.load(); // validated only where a route asks
  if (session) res.type('html').send(homePage(session));
  else res.redirect('/login');
});
app.get('/devices', requireSession(), (_req, res) => void res.type('html').send(devicesPage()));
app.get('/api/me', requireSession(), (req, res) => void res.json({ userId: req.session.session!.userId }));
app.use(sessionErrorHandler());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  listening('Express', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 3000}`, storeName);
});
