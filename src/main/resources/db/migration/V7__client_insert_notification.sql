-- Replicas remember client ids they found unknown (a bounded negative cache against floods of random ids): a
-- client created under such an id must reach them too, so inserts notify as updates and deletes do. An insert says
-- "created <client_id>" (a client_id has no space): it only makes replicas forget the id as unknown, and leaves
-- what they cached alone, since no replica can hold a copy of a client that did not exist.
CREATE OR REPLACE FUNCTION notify_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_client',
                      CASE WHEN TG_OP = 'INSERT' THEN 'created ' || NEW.client_id ELSE OLD.client_id END);
    RETURN NULL;
END
$$;

DROP TRIGGER client_changed ON client;
CREATE TRIGGER client_changed
    AFTER INSERT OR UPDATE OR DELETE ON client
    FOR EACH ROW EXECUTE FUNCTION notify_client_change();
