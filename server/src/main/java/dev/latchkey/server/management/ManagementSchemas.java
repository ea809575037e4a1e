package dev.latchkey.server.management;

import static dev.latchkey.server.management.PayloadSchema.Type.ARRAY;
import static dev.latchkey.server.management.PayloadSchema.Type.BOOLEAN;
import static dev.latchkey.server.management.PayloadSchema.Type.INTEGER;
import static dev.latchkey.server.management.PayloadSchema.Type.NUMBER;
import static dev.latchkey.server.management.PayloadSchema.Type.OBJECT;
import static dev.latchkey.server.management.PayloadSchema.Type.STRING;
import static dev.latchkey.server.management.PayloadSchema.Type.STRINGS;

import java.util.List;

/**
 * The request bodies of Auth0's Management API v2 that Latchkey takes whole: every property Auth0's schema
 * accepts (as its Node.js SDK, v4 and v6, and auth0-deploy-cli declare them), so that a tenant exported from
 * Auth0 imports here unchanged. Nested objects are taken as they come (their strings free of control
 * characters); the resources check the ones they act on more closely.
 */
final class ManagementSchemas {

    private static final String[] ORGANIZATION_USAGE = {"deny", "allow", "require"};
    private static final String[] APP_TYPES = {"native", "spa", "regular_web", "non_interactive", "resource_server",
            "rms", "box", "cloudbees", "concur", "dropbox", "mscrm", "echosign", "egnyte", "newrelic", "office365",
            "salesforce", "sentry", "sharepoint", "slack", "springcm", "zendesk", "zoom", "sso_integration", "oag"};
    private static final String[] COMPLIANCE_LEVELS = {"none", "fapi1_adv_pkj_par", "fapi1_adv_mtls_par",
            "fapi2_sp_pkj_mtls", "fapi2_sp_mtls_mtls"};
    private static final String[] TOKEN_DIALECTS = {"access_token", "access_token_authz", "rfc9068_profile",
            "rfc9068_profile_authz"};

    /** {@code POST /api/v2/clients}. */
    static final PayloadSchema CLIENT_CREATE = clientCommon(PayloadSchema.named("ClientCreate")
            .required("name", STRING))
            .of(STRING, "resource_server_identifier")
            .of(OBJECT, "client_authentication_methods", "signed_request_object", "token_vault_privileged_access",
                    "token_exchange", "token_quota", "identity_assertion_authorization_grant",
                    "my_organization_configuration", "express_configuration", "native_social_login", "fedcm_login",
                    "jwt_configuration")
            .nullable(ARRAY, "async_approval_notification_channels")
            .oneOf("organization_usage", false, ORGANIZATION_USAGE)
            .oneOf("organization_require_behavior", false, "no_prompt", "pre_login_prompt", "post_login_prompt")
            .allOf("organization_discovery_methods", false, "email", "organization_name")
            .oneOf("token_endpoint_auth_method", false, "none", "client_secret_post", "client_secret_basic")
            .build();

    /** {@code PATCH /api/v2/clients/{id}}. */
    static final PayloadSchema CLIENT_UPDATE = clientCommon(PayloadSchema.named("ClientUpdate")
            .of(STRING, "name", "client_secret"))
            .nullable(OBJECT, "client_authentication_methods", "token_exchange", "token_quota",
                    "identity_assertion_authorization_grant", "my_organization_configuration",
                    "express_configuration", "native_social_login", "fedcm_login", "jwt_configuration")
            .nullable(ARRAY, "async_approval_notification_channels")
            .of(OBJECT, "signed_request_object", "token_vault_privileged_access")
            .oneOf("organization_usage", true, ORGANIZATION_USAGE)
            .oneOf("organization_require_behavior", true, "no_prompt", "pre_login_prompt", "post_login_prompt")
            .allOf("organization_discovery_methods", true, "email", "organization_name")
            .oneOf("token_endpoint_auth_method", true, "none", "client_secret_post", "client_secret_basic")
            .build();

    private static PayloadSchema.Builder clientCommon(PayloadSchema.Builder builder) {
        return builder
                .of(STRING, "description", "logo_uri", "custom_login_page", "custom_login_page_preview",
                        "form_template", "initiate_login_uri")
                .nullable(STRING, "cross_origin_loc")
                .of(STRINGS, "callbacks", "allowed_origins", "web_origins", "client_aliases", "allowed_clients",
                        "allowed_logout_urls", "grant_types")
                .of(BOOLEAN, "is_token_endpoint_ip_header_trusted", "is_first_party", "oidc_conformant", "sso",
                        "cross_origin_authentication", "sso_disabled", "custom_login_page_on",
                        "require_pushed_authorization_requests", "require_proof_of_possession")
                .nullable(BOOLEAN, "skip_non_verifiable_callback_uri_confirmation_prompt")
                .of(OBJECT, "oidc_logout", "oidc_backchannel_logout", "addons", "client_metadata", "mobile")
                .nullable(OBJECT, "session_transfer", "encryption_key", "refresh_token", "default_organization")
                .oneOf("app_type", false, APP_TYPES)
                .oneOf("compliance_level", true, COMPLIANCE_LEVELS)
                .nullable(INTEGER, "par_request_expiry")
                .oneOf("third_party_security_mode", false, "strict", "permissive")
                .oneOf("redirection_policy", false, "allow_always", "open_redirect_protection");
    }

    /** {@code POST /api/v2/resource-servers}. */
    static final PayloadSchema RESOURCE_SERVER_CREATE = resourceServerCommon(PayloadSchema.named("ResourceServerCreate")
            .required("identifier", STRING))
            .build();

    /** {@code PATCH /api/v2/resource-servers/{id}}: the identifier cannot change. */
    static final PayloadSchema RESOURCE_SERVER_UPDATE = resourceServerCommon(PayloadSchema.named("ResourceServerUpdate"))
            .build();

    private static PayloadSchema.Builder resourceServerCommon(PayloadSchema.Builder builder) {
        return builder
                .of(STRING, "name", "signing_secret")
                .of(ARRAY, "scopes")
                .oneOf("signing_alg", false, "HS256", "RS256", "PS256")
                .of(BOOLEAN, "allow_offline_access", "allow_online_access", "allow_online_access_with_ephemeral_sessions",
                        "skip_consent_for_verifiable_first_party_clients", "enforce_policies")
                .of(INTEGER, "token_lifetime", "token_lifetime_for_web")
                .oneOf("token_dialect", false, TOKEN_DIALECTS)
                .of(OBJECT, "client", "subject_type_authorization")
                .nullable(OBJECT, "token_encryption", "proof_of_possession", "authorization_policy")
                .oneOf("consent_policy", true, "transactional-authorization-with-mfa")
                .nullable(ARRAY, "authorization_details");
    }

    /** {@code POST /api/v2/client-grants}. */
    static final PayloadSchema CLIENT_GRANT_CREATE = PayloadSchema.named("ClientGrantCreate")
            .required("client_id", STRING)
            .required("audience", STRING)
            .required("scope", STRINGS)
            .oneOf("default_for", false, "third_party_clients")
            .oneOf("organization_usage", false, ORGANIZATION_USAGE)
            .of(BOOLEAN, "allow_any_organization", "allow_all_scopes")
            .oneOf("subject_type", false, "client", "user")
            .of(STRINGS, "authorization_details_types")
            .build();

    /** {@code PATCH /api/v2/client-grants/{id}}. */
    static final PayloadSchema CLIENT_GRANT_UPDATE = PayloadSchema.named("ClientGrantUpdate")
            .of(STRINGS, "scope")
            .oneOf("organization_usage", true, ORGANIZATION_USAGE)
            .nullable(BOOLEAN, "allow_any_organization", "allow_all_scopes")
            .of(STRINGS, "authorization_details_types")
            .build();

    /** {@code POST /api/v2/roles}. */
    static final PayloadSchema ROLE_CREATE = PayloadSchema.named("RoleCreate")
            .required("name", STRING)
            .of(STRING, "description", "owner_id")
            .oneOf("type", false, "tenant", "organization")
            .build();

    /** {@code PATCH /api/v2/roles/{id}}. */
    static final PayloadSchema ROLE_UPDATE = PayloadSchema.named("RoleUpdate")
            .of(STRING, "name", "description")
            .build();

    /** {@code PATCH /api/v2/tenants/settings}. */
    static final PayloadSchema TENANT_SETTINGS_UPDATE = PayloadSchema.named("TenantSettingsUpdate")
            .nullable(OBJECT, "change_password", "device_flow", "guardian_mfa_page", "error_page",
                    "default_token_quota", "security_headers", "session_cookie", "sessions", "mtls", "country_codes")
            .of(STRING, "default_audience", "default_directory", "friendly_name", "picture_url", "support_email",
                    "support_url", "sandbox_version", "legacy_sandbox_version", "default_redirection_uri")
            .of(OBJECT, "flags", "oidc_logout")
            .of(STRINGS, "allowed_logout_urls", "enabled_locales")
            .nullable(STRINGS, "acr_values_supported")
            .of(NUMBER, "session_lifetime", "idle_session_lifetime", "ephemeral_session_lifetime",
                    "idle_ephemeral_session_lifetime", "session_lifetime_in_minutes",
                    "idle_session_lifetime_in_minutes", "ephemeral_session_lifetime_in_minutes",
                    "idle_ephemeral_session_lifetime_in_minutes")
            .nullable(BOOLEAN, "customize_mfa_in_postlogin_action", "allow_organization_name_in_authentication_api",
                    "pushed_authorization_requests_supported", "authorization_response_iss_parameter_supported",
                    "skip_non_verifiable_callback_uri_confirmation_prompt")
            .of(BOOLEAN, "client_id_metadata_document_supported", "enable_ai_guide", "phone_consolidated_experience",
                    "include_session_metadata_in_tenant_logs")
            .oneOf("resource_parameter_profile", false, "audience", "compatibility")
            .oneOf("dynamic_client_registration_security_mode", false, "strict", "permissive")
            .build();

    /** The tenant flags Auth0 documents ({@code flags} of the tenant settings), each a boolean. */
    static final List<String> TENANT_FLAGS = List.of("change_pwd_flow_v1", "enable_apis_section",
            "disable_impersonation", "enable_client_connections", "enable_pipeline2",
            "allow_legacy_delegation_grant_types", "allow_legacy_ro_grant_types", "allow_legacy_tokeninfo_endpoint",
            "enable_legacy_profile", "enable_idtoken_api2", "enable_public_signup_user_exists_error", "enable_sso",
            "allow_changing_enable_sso", "disable_clickjack_protection_headers", "no_disclose_enterprise_connections",
            "enforce_client_authentication_on_passwordless_start", "enable_adfs_waad_email_verification",
            "revoke_refresh_token_grant", "dashboard_log_streams_next", "dashboard_insights_view",
            "disable_fields_map_fix", "mfa_show_factor_list_on_enrollment", "remove_alg_from_jwks",
            "improved_signup_bot_detection_in_classic", "genai_trial", "local_resource_discovery",
            "enable_dynamic_client_registration", "disable_management_api_sms_obfuscation",
            "trust_azure_adfs_email_verified_connection_property", "custom_domains_provisioning",
            "enable_custom_domain_in_emails", "require_signed_request_object", "require_pushed_authorization_requests",
            "use_scope_descriptions_for_consent");

    /** Every body, for the OpenAPI document's components. */
    static final List<PayloadSchema> ALL = List.of(CLIENT_CREATE, CLIENT_UPDATE, RESOURCE_SERVER_CREATE,
            RESOURCE_SERVER_UPDATE, CLIENT_GRANT_CREATE, CLIENT_GRANT_UPDATE, ROLE_CREATE, ROLE_UPDATE,
            TENANT_SETTINGS_UPDATE);

    private ManagementSchemas() {
    }
}
