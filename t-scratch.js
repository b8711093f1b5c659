const Mock = require('ioredis-mock');
const { ThrottlerStorageRedisService } = require('@nest-lab/throttler-storage-redis');
(async () => {
  const a = new Mock('redis://127.0.0.1:6379'); const b = new Mock('redis://127.0.0.1:6379');
  console.log('status', a.status);
  const sa = new ThrottlerStorageRedisService(a);
  console.log(sa.redis === a);
  for (let i=0;i<3;i++) console.log(await sa.increment('k', 60000, 2, 60000, 'default'));
  const sb = new ThrottlerStorageRedisService(b);
  console.log(await sb.increment('k', 60000, 2, 60000, 'default'));
  await a.quit(); await b.quit();
})().catch(e=>console.error('ERR', e));
