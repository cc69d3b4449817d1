-- The audit log is evidence: rows are added, never rewritten or removed. Any UPDATE,
-- DELETE or TRUNCATE fails here, whoever sends it.
CREATE FUNCTION "audit_log_is_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_refuse_update_delete"
  BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_is_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_refuse_truncate"
  BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_is_append_only"();--> statement-breakpoint
-- A key's identity, secret and role are fixed once issued, and a revocation is final:
-- only revoked_at (once, from NULL) and last_used_at may change.
CREATE FUNCTION "api_keys_guard_update"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.name <> OLD.name OR NEW.role <> OLD.role
     OR NEW.secret_hash <> OLD.secret_hash OR NEW.created_at <> OLD.created_at
     OR NEW.created_by <> OLD.created_by
     OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
    RAISE EXCEPTION 'api_keys: only revoked_at (once) and last_used_at may change'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "api_keys_guard_update"
  BEFORE UPDATE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "api_keys_guard_update"();--> statement-breakpoint
-- Every API process caches verified keys for a moment; a revocation, a disabled operator
-- or a changed role is announced on this channel at commit, so each process forgets
-- the credential within milliseconds (the cache's short TTL is the backstop).
CREATE FUNCTION "access_changed_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('wallet_access_changed', TG_TABLE_NAME || ':' || OLD.id::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "api_keys_notify_change"
  AFTER UPDATE OF revoked_at OR DELETE ON "api_keys"
  FOR EACH ROW EXECUTE FUNCTION "access_changed_notify"();--> statement-breakpoint
CREATE TRIGGER "operators_notify_change"
  AFTER UPDATE OF disabled_at, role OR DELETE ON "operators"
  FOR EACH ROW EXECUTE FUNCTION "access_changed_notify"();
