import Router from '@koa/router';
import Koa from 'koa';
import { requireSession, sessionward } from 'sessionward/koa';
import { exampleSessions, listening } from '../shared/setup.js';
import { devicesPage, homePage, loginPage } from '../shared/pages.js';

const { manager, storeName } = exampleSessions();
const app = new Koa({ proxy: true, maxIpsCount: 1 });
const router = new Router();

app.use(sessionward({ manager, cookie: { name: '__Host-sid' } }));
router.get('/login', (ctx) => {
  ctx.body = loginPage();
});
router.post('/login', async (ctx) => {
  let raw = '';
  for await (const chunk of ctx.req) raw += chunk;
  // A real app checks a password (or SSO) here; the example trusts the name it is given.
  const session = await ctx.state.session.login(String((raw ? JSON.parse(raw) : {}).userId ?? ''));
  ctx.body = { userId: session.userId };
});
router.get('/', async (ctx) => {
  const session = await ctx.state.session.load(); // validated only where a route asks
  if (session) ctx.body = homePage(session);
  else ctx.redirect('/login');
});
router.get('/devices', requireSession(), (ctx) => {
  ctx.body = devicesPage();
});
router.get('/api/me', requireSession(), (ctx) => {
  ctx.body = { userId: ctx.state.session.session!.userId };
});
app.use(router.routes());

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  listening('Koa', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 3000}`, storeName);
});
