/* hail-sip-tls-context.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SSL_CTX, for the client or the server side of SIP over TLS.
 */
#include "config.h"

#include "hail-sip-tls-context.h"

#include <openssl/err.h>

#include "hail-sip-error.h"
#include "hail-sip-tls-private.h"

struct _HailSipTlsContext
{
  GObject parent_instance;

  /* Owned. */
  SSL_CTX *ctx;

  /* State. */
  gboolean server;
};

G_DEFINE_FINAL_TYPE (HailSipTlsContext, hail_sip_tls_context, G_TYPE_OBJECT)

void
_hail_sip_tls_set_error (GError     **error,
                         const char  *what)
{
  unsigned long code = ERR_get_error ();
  const char *reason = code != 0 ? ERR_reason_error_string (code) : NULL;

  ERR_clear_error ();
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS, "%s: %s", what,
               reason != NULL ? reason : "unknown TLS error");
}

static SSL_CTX *
new_ctx (const SSL_METHOD  *method,
         GError           **error)
{
  SSL_CTX *ctx;

  ERR_clear_error ();
  ctx = SSL_CTX_new (method);
  if (ctx == NULL)
    {
      _hail_sip_tls_set_error (error, "Cannot create a TLS context");
      return NULL;
    }
  /* RFC 8996 retired TLS 1.0 and 1.1. */
  SSL_CTX_set_min_proto_version (ctx, TLS1_2_VERSION);
  /* Renegotiation is a DoS lever and SIP never needs it. */
  SSL_CTX_set_options (ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  /* The flow keeps its plaintext until the whole record is written. */
  SSL_CTX_set_mode (ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  return ctx;
}

static gboolean
load_trust (SSL_CTX     *ctx,
            const char  *ca_file,
            GError     **error)
{
  /* Verification is always on; each session adds the host name check. */
  SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER, NULL);
  if (SSL_CTX_set_default_verify_paths (ctx) != 1)
    {
      _hail_sip_tls_set_error (error, "Cannot load the system trust store");
      return FALSE;
    }
  if (ca_file != NULL && SSL_CTX_load_verify_locations (ctx, ca_file, NULL) != 1)
    {
      g_autofree char *what = g_strdup_printf ("Cannot load the CA file %s", ca_file);

      _hail_sip_tls_set_error (error, what);
      return FALSE;
    }
  return TRUE;
}

static void
hail_sip_tls_context_finalize (GObject *object)
{
  HailSipTlsContext *self = (HailSipTlsContext *)object;

  g_clear_pointer (&self->ctx, SSL_CTX_free);

  G_OBJECT_CLASS (hail_sip_tls_context_parent_class)->finalize (object);
}

static void
hail_sip_tls_context_class_init (HailSipTlsContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sip_tls_context_finalize;
}

static void
hail_sip_tls_context_init (HailSipTlsContext *self)
{
}

HailSipTlsContext *
hail_sip_tls_context_new_client (const char  *ca_file,
                                 GError     **error)
{
  g_autoptr(HailSipTlsContext) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TLS_CONTEXT, NULL);
  self->ctx = new_ctx (TLS_client_method (), error);
  if (self->ctx == NULL)
    return NULL;

  if (!load_trust (self->ctx, ca_file, error))
    return NULL;
  return g_steal_pointer (&self);
}

HailSipTlsContext *
hail_sip_tls_context_new_server (const char  *cert_file,
                                 const char  *key_file,
                                 GError     **error)
{
  g_autoptr(HailSipTlsContext) self = NULL;

  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TLS_CONTEXT, NULL);
  self->server = TRUE;
  self->ctx = new_ctx (TLS_server_method (), error);
  if (self->ctx == NULL)
    return NULL;

  /* SIP clients rarely hold certificates (RFC 5630 §3.1.2): a server
   * context keeps OpenSSL's default and asks for none. */
  if (SSL_CTX_use_certificate_chain_file (self->ctx, cert_file) != 1)
    {
      g_autofree char *what = g_strdup_printf ("Cannot load the certificate %s", cert_file);

      _hail_sip_tls_set_error (error, what);
      return NULL;
    }
  if (SSL_CTX_use_PrivateKey_file (self->ctx, key_file, SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key (self->ctx) != 1)
    {
      g_autofree char *what = g_strdup_printf ("Cannot use the private key %s", key_file);

      _hail_sip_tls_set_error (error, what);
      return NULL;
    }
  return g_steal_pointer (&self);
}

HailSipTlsContext *
hail_sip_tls_context_new_for_identity (HailSipTlsIdentity  *identity,
                                       gboolean             server,
                                       const char          *ca_file,
                                       GError             **error)
{
  g_autoptr(HailSipTlsContext) self = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_IDENTITY (identity), NULL);
  g_return_val_if_fail (!server || ca_file == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TLS_CONTEXT, NULL);
  self->server = server;
  self->ctx = new_ctx (server ? TLS_server_method () : TLS_client_method (), error);
  if (self->ctx == NULL)
    return NULL;
  if (!server && !load_trust (self->ctx, ca_file, error))
    return NULL;
  /* Both sides present it: the peer pins it by the SDP's fingerprint. */
  if (SSL_CTX_use_certificate (self->ctx, _hail_sip_tls_identity_get_certificate (identity)) != 1
      || SSL_CTX_use_PrivateKey (self->ctx, _hail_sip_tls_identity_get_key (identity)) != 1)
    {
      _hail_sip_tls_set_error (error, "Cannot use the self-signed certificate");
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
hail_sip_tls_context_is_server (HailSipTlsContext *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TLS_CONTEXT (self), FALSE);

  return self->server;
}

SSL_CTX *
_hail_sip_tls_context_get_ssl_ctx (HailSipTlsContext *self)
{
  g_assert (HAIL_IS_SIP_TLS_CONTEXT (self));

  return self->ctx;
}
