-- Queries on the workflow tables for H2.

-- name: workflowDefinitionInsert
-- A version another registration took first is a unique violation here, which the store reports
-- as nothing inserted (PostgreSQL's ON CONFLICT DO NOTHING says the same).
INSERT INTO tm_workflow_definition (name, version, body, created_at)
VALUES (:name, :version, :body, :createdAt)

-- name: workflowDefinitionNewest
SELECT name, version, body, created_at
FROM tm_workflow_definition
WHERE name = :name
ORDER BY version DESC
LIMIT 1

-- name: workflowDefinitionGet
SELECT name, version, body, created_at
FROM tm_workflow_definition
WHERE name = :name AND version = :version

-- name: workflowDefinitionVersions
SELECT name, version, body, created_at
FROM tm_workflow_definition
WHERE name = :name
ORDER BY version

-- name: workflowDefinitionList
-- The newest version of each name after :afterName (null: from the first), by name.
SELECT d.name, d.version, d.body, d.created_at
FROM tm_workflow_definition d
WHERE (CAST(:afterName AS VARCHAR) IS NULL OR d.name > :afterName)
  AND d.version = (SELECT MAX(v.version) FROM tm_workflow_definition v WHERE v.name = d.name)
ORDER BY d.name
LIMIT :limit
