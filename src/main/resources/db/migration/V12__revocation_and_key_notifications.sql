-- Every replica holds the revoked jtis and the signing keys in memory; these tell them all at once when either
-- changes, whoever changed it (any replica, or an operator's SQL). pg_notify is delivered at commit to the
-- listeners of the channel; the periodic reads stay as the fallback for announcements lost while disconnected.

-- A revocation: "<jti> <expires_at in epoch seconds>", all a replica needs to hold it.
CREATE FUNCTION token_service.notify_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_revocation',
                      NEW.jti || ' ' || floor(extract(epoch FROM NEW.expires_at))::bigint);
    RETURN NULL;
END
$$;
CREATE TRIGGER revoked_token_inserted
    AFTER INSERT ON token_service.revoked_token
    FOR EACH ROW EXECUTE FUNCTION token_service.notify_revocation();

-- A key stored, re-sealed or retired: replicas re-read the keys (the payload, the kid, is informational).
CREATE FUNCTION token_service.notify_signing_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_signing_key', CASE WHEN TG_OP = 'DELETE' THEN OLD.kid ELSE NEW.kid END);
    RETURN NULL;
END
$$;
CREATE TRIGGER signing_key_changed
    AFTER INSERT OR UPDATE OR DELETE ON token_service.signing_key
    FOR EACH ROW EXECUTE FUNCTION token_service.notify_signing_key_change();
