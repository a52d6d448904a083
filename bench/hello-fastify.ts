import Fastify from 'fastify';

// The baseline for the agent's /api/health: a bare Fastify app started the same way (tsx child process).
const app = Fastify({ logger: false });
app.get('/api/health', async () => ({ status: 'ok' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
