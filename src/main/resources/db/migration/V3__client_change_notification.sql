-- Every replica caches clients; this tells them all when one changes or goes, whoever changed it (admin API on
-- any replica, the bootstrap, or an operator's SQL). pg_notify is delivered at commit, to listeners of the
-- channel. Inserts need no notice: unknown client ids are never cached.
CREATE FUNCTION notify_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_client', OLD.client_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER client_changed
    AFTER UPDATE OR DELETE ON client
    FOR EACH ROW EXECUTE FUNCTION notify_client_change();
