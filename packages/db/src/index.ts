export * from './client';
export * from './env';
export * from './embedded';
export * from './migrate';
export * from './open';
export * as schema from './schema';
export * from './audit';
export * from './deadline';
