-- Queries on the workflow tables for PostgreSQL.

-- name: workflowDefinitionInsert
-- A version another registration took first inserts nothing.
INSERT INTO tm_workflow_definition (name, version, body, created_at)
VALUES (:name, :version, :body, :createdAt)
ON CONFLICT (name, version) DO NOTHING

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
SELECT DISTINCT ON (name) name, version, body, created_at
FROM tm_workflow_definition
WHERE CAST(:afterName AS varchar) IS NULL OR name > :afterName
ORDER BY name, version DESC
LIMIT :limit
