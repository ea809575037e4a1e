-- Role-based access control (Auth0 §2.2): roles, the API permissions they hold, the users who hold
-- them, and permissions given to users directly. A permission is one scope of one API, named by the
-- API's identifier as Auth0's Management API names it. Deleting a role, a user or an API removes
-- what hung on it, so the next token of every user follows at once.

CREATE TABLE roles (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL UNIQUE,
    description VARCHAR(1000),
    created_at  BIGINT       NOT NULL
);
CREATE INDEX roles_created_at ON roles (created_at);

CREATE TABLE role_permissions (
    role_id                    VARCHAR(64)  NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    resource_server_identifier VARCHAR(600) NOT NULL
        REFERENCES resource_servers (identifier) ON DELETE CASCADE ON UPDATE CASCADE,
    permission_name            VARCHAR(280) NOT NULL,
    PRIMARY KEY (role_id, resource_server_identifier, permission_name)
);

CREATE TABLE user_roles (
    user_id    VARCHAR(64) NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role_id    VARCHAR(64) NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    created_at BIGINT      NOT NULL,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_id ON user_roles (role_id, created_at);

CREATE TABLE user_permissions (
    user_id                    VARCHAR(64)  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    resource_server_identifier VARCHAR(600) NOT NULL
        REFERENCES resource_servers (identifier) ON DELETE CASCADE ON UPDATE CASCADE,
    permission_name            VARCHAR(280) NOT NULL,
    PRIMARY KEY (user_id, resource_server_identifier, permission_name)
);
