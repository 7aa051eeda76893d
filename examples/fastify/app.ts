import Fastify from 'fastify';
import { requireSession, sessionward } from 'sessionward/fastify';
import { exampleSessions, listening } from '../shared/setup.js';
import { devicesPage, homePage, loginPage } from '../shared/pages.js';

const { manager, storeName } = exampleSessions();
const app = Fastify({ trustProxy: 'loopback' });
await app.register(sessionward, { manager, cookie: { name: '__Host-sid' } });

app.get('/login', async (_request, reply) => reply.type('text/html').send(loginPage()));
app.post('/login', async (request) => {
  // A real app checks a password (or SSO) here; the example trusts the name it is given.
  const session = await request.session.login(String((request.body as { userId?: string } | undefined)?.userId ?? ''));
  return { userId: session.userId };
});
app.get('/', async (request, reply) => {
  const session = await request.session.load(); // validated only where a route asks
  return session ? reply.type('text/html').send(homePage(session)) : reply.redirect('/login');
});
app.get('/devices', { preHandler: requireSession() }, async (_request, reply) => reply.type('text/html').send(devicesPage()));
app.get('/api/me', { preHandler: requireSession() }, async (request) => ({ userId: request.session.session!.userId }));

const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
listening('Fastify', url, storeName);
