export * from './currencies';
export * from './limits';
export * from './money';
export * from './schemas';
export * from './issues';
export * from './access';
export * from './vocabulary';
export * from './error-catalogue';
