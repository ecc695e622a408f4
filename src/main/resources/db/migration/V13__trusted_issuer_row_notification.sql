-- A change to a trusted issuer now names it (its iss): a replica stops trusting what it held of that issuer at once,
-- before its re-read of the issuers comes back, so a key removed through one replica (and the tokens it got, retired
-- in the same transaction) is never used again elsewhere while that read is on its way or failing.
CREATE OR REPLACE FUNCTION token_service.notify_trusted_issuer_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_trusted_issuer', CASE WHEN TG_OP = 'DELETE' THEN OLD.issuer ELSE NEW.issuer END);
    RETURN NULL;
END
$$;
DROP TRIGGER trusted_issuer_changed ON token_service.trusted_issuer;
CREATE TRIGGER trusted_issuer_changed
    AFTER INSERT OR UPDATE OR DELETE ON token_service.trusted_issuer
    FOR EACH ROW EXECUTE FUNCTION token_service.notify_trusted_issuer_change();
