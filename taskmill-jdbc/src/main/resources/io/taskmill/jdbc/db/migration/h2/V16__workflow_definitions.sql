-- Workflow definitions, one row per version: a registration that changes a definition adds the
-- next version, and a run keeps the version it started with. The body is the canonical JSON
-- document (WorkflowJson.write); rows are never updated.
CREATE TABLE tm_workflow_definition (
    name       VARCHAR(200)                NOT NULL,
    version    INT                         NOT NULL,
    body       VARCHAR(4194304)            NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT tm_workflow_definition_pk PRIMARY KEY (name, version),
    CONSTRAINT tm_workflow_definition_version_positive CHECK (version > 0)
);
