/**
 * Every limit of the service, named once. Each is enforced where input enters
 * (the zod schemas), and the money limits again by CHECK constraints in the database.
 */

/**
 * The largest balance a wallet may hold, and the largest single amount, in minor units:
 * 10^15 - 1. A decimal with at most 15 significant digits survives a round trip through
 * an IEEE-754 double, so every balance is carried exactly by a JSON number, whatever the
 * currency's minor digits (USD: 9,999,999,999,999.99).
 */
export const MAX_BALANCE_MINOR = 999_999_999_999_999n;
export const MAX_AMOUNT_MINOR = MAX_BALANCE_MINOR;

/**
 * The most money of one currency the ledger holds in all its wallets together, in minor
 * units: 2^63 - 1, the largest PostgreSQL bigint, which the currency's external account
 * (minus that sum) must still hold. About 9,223 wallets at the largest balance.
 */
export const MAX_CURRENCY_TOTAL_MINOR = 2n ** 63n - 1n;

/** The longest decimal text accepted for an amount (digits, point and all). */
export const AMOUNT_TEXT_LENGTH_MAX = 32;

export const DESCRIPTION_LENGTH_MAX = 500;

/** The furthest ahead a hold's expires_at may be, in days from its placement. */
export const HOLD_EXPIRY_DAYS_MAX = 30;

export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

/**
 * Metadata: a flat object of string values on a write or a wallet (an order id, the owner's
 * id in the operator's own system). Small on purpose: it is stored beside every entry and
 * returned on every read; a document store it is not.
 */
export const METADATA_KEYS_MAX = 20;
export const METADATA_KEY_LENGTH_MAX = 40;
export const METADATA_VALUE_LENGTH_MAX = 500;
/**
 * The most bytes a write's metadata may take as JSON text in the database (the backstop
 * CHECK): 20 keys of 40 characters and values of 500 characters each escaped at most six
 * bytes per character (`\u0001`) stay under it.
 */
export const METADATA_STORED_BYTES_MAX = 64 * 1024;
/** How many `metadata[key]=value` filters one list request may combine (all must match). */
export const METADATA_FILTERS_MAX = 4;

/** Page sizes for every cursor-paginated list. */
export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;
/** Entries per page of a statement: the CSV export reads a period this many at a time. */
export const STATEMENT_PAGE_SIZE_MAX = 1_000;

/** How many of its latest transactions `GET /wallets/:id` embeds. */
export const WALLET_RECENT_TRANSACTIONS = PAGE_SIZE_DEFAULT;

export const CURSOR_LENGTH_MAX = 128;

/** The largest request body the HTTP server reads. */
export const REQUEST_BODY_BYTES_MAX = 16 * 1024;

/**
 * The longest path segment the HTTP router reads (longer: 414): a tRPC batch names about
 * a hundred procedures in one segment; no wallet id comes near it.
 */
export const ROUTE_PARAM_LENGTH_MAX = 2_000;

/**
 * How deeply arrays and objects may nest in a request's JSON. Every input of this API is
 * a flat object (a tRPC superjson envelope is four levels), so 32 is ample; the limit is
 * there so that no parser or walker ever recurses thousands of levels deep: 16 KiB of
 * `[` is 16,384 levels, enough to overflow the stack of a recursive parser.
 */
export const JSON_NESTING_DEPTH_MAX = 32;

// ---------------------------------------------------------------- access

/** API key and operator names. */
export const KEY_NAME_LENGTH_MAX = 64;
export const USERNAME_LENGTH_MIN = 2;
export const USERNAME_LENGTH_MAX = 64;
/** NIST SP 800-63B: at least 8; 12 here. The maximum bounds the KDF's work per attempt. */
export const PASSWORD_LENGTH_MIN = 12;
export const PASSWORD_LENGTH_MAX = 256;
/** `wlk_` + 32 hex digits of the id + `_` + 43 base64url characters of a 256-bit secret. */
export const API_KEY_TEXT_LENGTH = 80;
/** An incoming X-Request-Id longer than this, or not printable ASCII, is replaced. */
export const REQUEST_ID_LENGTH_MAX = 128;
/** Filters of the audit log. */
export const AUDIT_ACTOR_LENGTH_MAX = 64;
export const AUDIT_ACTION_LENGTH_MAX = 64;
/** As the audit_log_target_length constraint. */
export const AUDIT_TARGET_LENGTH_MAX = 200;

// ---------------------------------------------------------------- webhooks

/** The longest endpoint URL accepted (browsers and proxies agree on 2,048). */
export const WEBHOOK_URL_LENGTH_MAX = 2_048;
/** Event types one endpoint may subscribe to, at most. */
export const WEBHOOK_EVENT_TYPES_MAX = 32;
export const WEBHOOK_DESCRIPTION_LENGTH_MAX = 200;
/** Endpoints the service holds at most: each one multiplies every event's deliveries. */
export const WEBHOOK_ENDPOINTS_MAX = 100;
/** What is kept of a receiver's answer (its body) and of an attempt's error text. */
export const WEBHOOK_RESPONSE_BYTES_MAX = 4 * 1024;
export const WEBHOOK_ERROR_LENGTH_MAX = 500;
