-- Replicas remember client ids they found unknown (a bounded negative cache against floods of random ids): a
-- client created under such an id must reach them too, so inserts notify as updates and deletes do.
CREATE OR REPLACE FUNCTION notify_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_client', CASE WHEN TG_OP = 'INSERT' THEN NEW.client_id ELSE OLD.client_id END);
    RETURN NULL;
END
$$;

DROP TRIGGER client_changed ON client;
CREATE TRIGGER client_changed
    AFTER INSERT OR UPDATE OR DELETE ON client
    FOR EACH ROW EXECUTE FUNCTION notify_client_change();
