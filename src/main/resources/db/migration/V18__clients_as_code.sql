-- Clients as code (token-service.clients.file): a client declared in the file is the file's. The admin API shows it
-- and refuses to change it; only the file's application creates, changes or removes it.
ALTER TABLE token_service.client
    ADD COLUMN source text NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config'));

-- What the replicas last applied of the file: its digest and a generation counted up by every application. The
-- row is the lock replicas take to apply (one applies, the others find the result), and a replica whose file is
-- older than what another applied since it last looked does not apply it (it waits for its copy to catch up).
CREATE TABLE token_service.client_file_state (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    digest     text,
    generation bigint NOT NULL DEFAULT 0,
    applied_at timestamptz
);
INSERT INTO token_service.client_file_state (singleton) VALUES (true);

CREATE FUNCTION token_service.notify_client_file_applied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('token_service_client_file', NEW.generation::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER client_file_applied
    AFTER UPDATE ON token_service.client_file_state
    FOR EACH ROW EXECUTE FUNCTION token_service.notify_client_file_applied();
