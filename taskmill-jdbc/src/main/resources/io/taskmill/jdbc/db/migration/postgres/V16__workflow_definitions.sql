-- Workflow definitions, one row per version: a registration that changes a definition adds the
-- next version, and a run keeps the version it started with. The body is the canonical JSON
-- document (WorkflowJson.write); rows are never updated. The same columns and constraints as the
-- H2 schema; names collate as "C" so lists page in code-point order, as on H2.
CREATE TABLE tm_workflow_definition (
    name       varchar(200) COLLATE "C" NOT NULL,
    version    integer                  NOT NULL,
    body       text                     NOT NULL,
    created_at timestamptz              NOT NULL,
    CONSTRAINT tm_workflow_definition_pk PRIMARY KEY (name, version),
    CONSTRAINT tm_workflow_definition_version_positive CHECK (version > 0)
);
