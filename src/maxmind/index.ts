export { MaxMindGeoResolver } from './maxmind-geo-resolver.js';
export type { MaxMindGeoResolverOptions } from './maxmind-geo-resolver.js';
