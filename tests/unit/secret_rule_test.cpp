// The `inline-secret` rule on keys and values seen in real charts and
// images' documentation, both ways: what holds a secret is caught, what
// names one, points at one or configures secrets is not.
#include <doctest/doctest.h>

#include <string_view>

#include "compiler/sema/secret_rule.h"

using claw::sema::could_be_secret_value;
using claw::sema::looks_secret_key;

TEST_CASE("secret rule: keys that hold a secret") {
  for (std::string_view key : {
           "POSTGRES_PASSWORD",           // postgres image
           "MYSQL_ROOT_PASSWORD",         // mysql image
           "WEBPASSWORD",                 // pihole image: one word
           "FTLCONF_webserver_api_password",  // pihole v6
           "GF_SECURITY_ADMIN_PASSWORD",  // grafana image
           "DB_PASSWD",
           "SMTP_PASS",                   // a whole word `pass`
           "JWT_SECRET",
           "SECRET_KEY",                  // Django, Flask: a value
           "secret_key",
           "N8N_ENCRYPTION_KEY",          // n8n
           "GITHUB_TOKEN",
           "OAUTH_CLIENT_SECRET",
           "OPENAI_API_KEY",
           "openai-api-key",
           "apiKey",                      // camelCase, but `api` is no secret noun
           "adminPassword",               // grafana chart value
           "grafana.adminPassword",
           "PRIVATE_KEY",
           "REGISTRY_CREDENTIALS",
           "token",
           "password",
       }) {
    CAPTURE(key);
    CHECK(looks_secret_key(key));
  }
}

TEST_CASE("secret rule: keys that name, point at or configure a secret") {
  for (std::string_view key : {
           "existingSecret",              // grafana, bitnami charts: a Secret's name
           "existingSecretName",
           "secretName",                  // tls, volumes
           "tokenSecretRef",
           "passwordKey",                 // the key inside a Secret
           "secretKey",                   // pihole chart: admin.existingSecret + secretKey
           "adminPasswordKey",
           "userPasswordKey",
           "ENABLE_PASSWORD_AUTH",        // open-webui: a switch
           "ENABLE_OAUTH_SIGNUP",
           "DISABLE_PASSWORD_LOGIN",
           "PASSWORD_MIN_LENGTH",         // a setting
           "TOKEN_TTL",
           "ACCESS_TOKEN_EXPIRY",
           "OAUTH_TOKEN_ENDPOINT",        // a place
           "TOKEN_URL",
           "POSTGRES_PASSWORD_FILE",      // docker's _FILE convention: a path
           "SECRETS_DIR",
           "PASSWORD_HASH_ALGORITHM",
           "IMAGE",                       // no secret word at all
           "DATABASE_URL",
           "PASSTHROUGH",                 // `pass` inside a longer word
           "BYPASS_CACHE",
           "",
       }) {
    CAPTURE(key);
    CHECK(!looks_secret_key(key));
  }
}

TEST_CASE("secret rule: values that could be a secret, and values that cannot") {
  for (std::string_view value : {"hunter2", "admin", "changeme", "1234", "s3cr3t-t0k3n", "postgres://app:pw@db:5432/app",
                                 "https://user:pass@example.com", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "True2"}) {
    CAPTURE(value);
    CHECK(could_be_secret_value(value));
  }
  for (std::string_view value : {"", "true", "false", "FALSE", "yes", "no", "on", "off", "enabled", "Disabled", "none", "null",
                                 "12", "0", "999", "https://auth.example.com/oauth/token", "http://keycloak:8080/token",
                                 "/run/secrets/db-password"}) {
    CAPTURE(value);
    CHECK(!could_be_secret_value(value));
  }
}
