/* hail-account-config.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-account-config.h"

#include "hail-address.h"

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_DISPLAY_NAME,
  PROP_AUTH_USER,
  PROP_PROXY,
  PROP_TRANSPORT,
  PROP_PORT,
  PROP_ENABLED,
  PROP_CA_FILE,
  PROP_MSRP_RELAY,
  N_PROPS
};

struct _HailAccountConfig {
  GObject parent_instance;

  /* state */
  char *address;
  char *display_name;
  char *auth_user;
  char *proxy;
  char *transport;
  guint port;
  gboolean enabled;
  char *ca_file;
  char *msrp_relay;
};

G_DEFINE_FINAL_TYPE (HailAccountConfig, hail_account_config, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Empty strings are stored as NULL so "not set" has one spelling. */
static gboolean
set_string (HailAccountConfig  *self,
            char              **field,
            const char         *value,
            int                 prop)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
hail_account_config_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HailAccountConfig *self = HAIL_ACCOUNT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_AUTH_USER:
      g_value_set_string (value, self->auth_user);
      break;
    case PROP_PROXY:
      g_value_set_string (value, self->proxy);
      break;
    case PROP_TRANSPORT:
      g_value_set_string (value, self->transport);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_MSRP_RELAY:
      g_value_set_string (value, self->msrp_relay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_config_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HailAccountConfig *self = HAIL_ACCOUNT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      hail_account_config_set_address (self, g_value_get_string (value));
      break;
    case PROP_DISPLAY_NAME:
      hail_account_config_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_AUTH_USER:
      hail_account_config_set_auth_user (self, g_value_get_string (value));
      break;
    case PROP_PROXY:
      hail_account_config_set_proxy (self, g_value_get_string (value));
      break;
    case PROP_TRANSPORT:
      hail_account_config_set_transport (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      hail_account_config_set_port (self, g_value_get_uint (value));
      break;
    case PROP_ENABLED:
      hail_account_config_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_CA_FILE:
      hail_account_config_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_MSRP_RELAY:
      hail_account_config_set_msrp_relay (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_account_config_finalize (GObject *object)
{
  HailAccountConfig *self = HAIL_ACCOUNT_CONFIG (object);

  g_free (self->address);
  g_free (self->display_name);
  g_free (self->auth_user);
  g_free (self->proxy);
  g_free (self->transport);
  g_free (self->ca_file);
  g_free (self->msrp_relay);

  G_OBJECT_CLASS (hail_account_config_parent_class)->finalize (object);
}

static void
hail_account_config_class_init (HailAccountConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_account_config_get_property;
  object_class->set_property = hail_account_config_set_property;
  object_class->finalize = hail_account_config_finalize;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", "Address", "The SIP address of record", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", "Display name", "The name others see", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTH_USER] =
    g_param_spec_string ("auth-user", "Authentication user", "Digest user name if it differs", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROXY] =
    g_param_spec_string ("proxy", "Proxy", "Registrar or outbound proxy", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TRANSPORT] =
    g_param_spec_string ("transport", "Transport", "udp, tcp, tls, or NULL: the address's", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", "Port", "Port override, 0 for none", 0, 65535, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", "Enabled", "Whether Hail signs in with this account", TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", "CA file",
                         "PEM certificate authorities trusted for TLS, beside the system's", NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MSRP_RELAY] =
    g_param_spec_string ("msrp-relay", "MSRP relay",
                         "msrps: URI of the MSRP relay for message sessions, NULL for direct",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_account_config_init (HailAccountConfig *self)
{
  self->enabled = TRUE;
}

HailAccountConfig *
hail_account_config_new (const char *address)
{
  return g_object_new (HAIL_TYPE_ACCOUNT_CONFIG, "address", address, NULL);
}

/**
 * hail_account_config_new_from_variant:
 * @dict: an `a{sv}` as stored in the "accounts" key
 *
 * Unknown keys and keys of the wrong type are ignored, so a newer Hail's
 * settings never break an older one.
 *
 * Returns: (transfer full): the account
 */
HailAccountConfig *
hail_account_config_new_from_variant (GVariant *dict)
{
  HailAccountConfig *self;
  GVariantDict d;
  const char *s;
  guint32 u;
  gboolean b;

  g_return_val_if_fail (dict != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), NULL);

  self = g_object_new (HAIL_TYPE_ACCOUNT_CONFIG, NULL);
  g_variant_dict_init (&d, dict);
  if (g_variant_dict_lookup (&d, "address", "&s", &s))
    hail_account_config_set_address (self, s);
  if (g_variant_dict_lookup (&d, "display-name", "&s", &s))
    hail_account_config_set_display_name (self, s);
  if (g_variant_dict_lookup (&d, "auth-user", "&s", &s))
    hail_account_config_set_auth_user (self, s);
  if (g_variant_dict_lookup (&d, "proxy", "&s", &s))
    hail_account_config_set_proxy (self, s);
  if (g_variant_dict_lookup (&d, "transport", "&s", &s))
    hail_account_config_set_transport (self, s);
  if (g_variant_dict_lookup (&d, "port", "u", &u) && u <= 65535)
    hail_account_config_set_port (self, u);
  if (g_variant_dict_lookup (&d, "enabled", "b", &b))
    hail_account_config_set_enabled (self, b);
  if (g_variant_dict_lookup (&d, "ca-file", "&s", &s))
    hail_account_config_set_ca_file (self, s);
  if (g_variant_dict_lookup (&d, "msrp-relay", "&s", &s))
    hail_account_config_set_msrp_relay (self, s);
  g_variant_dict_clear (&d);
  return self;
}

/* Returns: (transfer floating): an `a{sv}` with the keys that are set */
GVariant *
hail_account_config_to_variant (HailAccountConfig *self)
{
  GVariantBuilder b;

  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  if (self->address != NULL)
    g_variant_builder_add (&b, "{sv}", "address", g_variant_new_string (self->address));
  if (self->display_name != NULL)
    g_variant_builder_add (&b, "{sv}", "display-name", g_variant_new_string (self->display_name));
  if (self->auth_user != NULL)
    g_variant_builder_add (&b, "{sv}", "auth-user", g_variant_new_string (self->auth_user));
  if (self->proxy != NULL)
    g_variant_builder_add (&b, "{sv}", "proxy", g_variant_new_string (self->proxy));
  if (self->transport != NULL)
    g_variant_builder_add (&b, "{sv}", "transport", g_variant_new_string (self->transport));
  if (self->port != 0)
    g_variant_builder_add (&b, "{sv}", "port", g_variant_new_uint32 (self->port));
  /* Only the exception is written, so older settings read as enabled. */
  if (!self->enabled)
    g_variant_builder_add (&b, "{sv}", "enabled", g_variant_new_boolean (FALSE));
  if (self->ca_file != NULL)
    g_variant_builder_add (&b, "{sv}", "ca-file", g_variant_new_string (self->ca_file));
  if (self->msrp_relay != NULL)
    g_variant_builder_add (&b, "{sv}", "msrp-relay", g_variant_new_string (self->msrp_relay));
  return g_variant_builder_end (&b);
}

const char *
hail_account_config_get_address (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->address;
}

void
hail_account_config_set_address (HailAccountConfig *self,
                                 const char        *address)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->address, address, PROP_ADDRESS);
}

const char *
hail_account_config_get_display_name (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->display_name;
}

void
hail_account_config_set_display_name (HailAccountConfig *self,
                                      const char        *display_name)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

const char *
hail_account_config_get_auth_user (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->auth_user;
}

void
hail_account_config_set_auth_user (HailAccountConfig *self,
                                   const char        *auth_user)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->auth_user, auth_user, PROP_AUTH_USER);
}

const char *
hail_account_config_get_proxy (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->proxy;
}

void
hail_account_config_set_proxy (HailAccountConfig *self,
                               const char        *proxy)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->proxy, proxy, PROP_PROXY);
}

const char *
hail_account_config_get_transport (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->transport;
}

void
hail_account_config_set_transport (HailAccountConfig *self,
                                   const char        *transport)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->transport, transport, PROP_TRANSPORT);
}

guint
hail_account_config_get_port (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), 0);

  return self->port;
}

void
hail_account_config_set_port (HailAccountConfig *self,
                              guint              port)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));
  g_return_if_fail (port <= 65535);

  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

gboolean
hail_account_config_get_enabled (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), FALSE);

  return self->enabled;
}

void
hail_account_config_set_enabled (HailAccountConfig *self,
                                 gboolean           enabled)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

/**
 * hail_account_config_dup_login:
 * @self: an account
 *
 * Returns: (transfer full): the user name the password belongs to: the
 *   authentication user when set, else the user part of the address; the
 *   key of the password in the Secret Service.
 */
char *
hail_account_config_dup_login (HailAccountConfig *self)
{
  g_autoptr(HailAddress) address = NULL;

  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  if (self->auth_user != NULL)
    return g_strdup (self->auth_user);
  if (self->address != NULL)
    address = hail_address_parse (self->address, NULL, NULL);
  return g_strdup (address != NULL ? hail_address_get_user (address) : "");
}

/* Returns: (nullable): the path of a PEM file of certificate authorities
 * trusted for this account's TLS connections, beside the system's */
const char *
hail_account_config_get_ca_file (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->ca_file;
}

void
hail_account_config_set_ca_file (HailAccountConfig *self,
                                 const char        *ca_file)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->ca_file, ca_file, PROP_CA_FILE);
}

/* Returns: (nullable): the MSRP relay (RFC 4976) message sessions go
 * through, or %NULL for direct ones */
const char *
hail_account_config_get_msrp_relay (HailAccountConfig *self)
{
  g_return_val_if_fail (HAIL_IS_ACCOUNT_CONFIG (self), NULL);

  return self->msrp_relay;
}

void
hail_account_config_set_msrp_relay (HailAccountConfig *self,
                                    const char        *relay)
{
  g_return_if_fail (HAIL_IS_ACCOUNT_CONFIG (self));

  set_string (self, &self->msrp_relay, relay, PROP_MSRP_RELAY);
}
