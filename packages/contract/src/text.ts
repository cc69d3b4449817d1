/**
 * A lone UTF-16 surrogate: a half of a character, which no UTF-8 text can hold. In a
 * module of its own so that schemas.ts and metadata.ts both use it without importing
 * each other (schemas.ts uses the metadata schema when its module is evaluated).
 */
export const LONE_SURROGATE = /\p{Cs}/u;
