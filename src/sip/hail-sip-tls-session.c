/* hail-sip-tls-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OpenSSL connection between two memory BIOs. The flow reads ciphertext
 * from its non-blocking socket into the input BIO and writes what collects in
 * the output BIO, so OpenSSL never touches a socket and never blocks; its
 * WANT_READ becomes G_IO_ERROR_WOULD_BLOCK.
 */
#include "config.h"

#include "hail-sip-tls-session.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "hail-sip-error.h"
#include "hail-sip-tls-private.h"

struct _HailSipTlsSession
{
  GObject parent_instance;

  /* Owned. SSL owns both BIOs. */
  SSL  *ssl;
  BIO  *input;
  BIO  *output;
  char *peer_name;
  char *peer_subject;
  char *peer_issuer;
  X509 *peer_cert;

  /* The pinned certificate's digest: pin_len 0 when not pinned. */
  const EVP_MD *pin_md;
  guint8        pin[EVP_MAX_MD_SIZE];
  guint         pin_len;
  gboolean      pin_mismatch;

  /* State: the first verification failure the callback saw. */
  int   verify_error;
  int   verify_depth;
  char *verify_issuer;
};

G_DEFINE_FINAL_TYPE (HailSipTlsSession, hail_sip_tls_session, G_TYPE_OBJECT)

/* Frees @bio and returns what was written into it, as valid UTF-8. */
static char *
bio_free_to_string (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);
  char *result = g_utf8_make_valid (data != NULL ? data : "", MAX (len, 0));

  BIO_free (bio);
  return result;
}

static char *
name_to_string (const X509_NAME *name)
{
  BIO *bio = BIO_new (BIO_s_mem ());

  /* RFC 2253 order without escaping UTF-8, as a user would read it. */
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_free_to_string (bio);
}

/* A certificate may list thousands of names; a message shows this many. */
#define MAX_NAMES_SHOWN 8

/* The names a certificate is for: its subjectAltName DNS and IP entries, or
 * its common name when it has none, as "'a', 'b'". */
static char *
certificate_names (X509 *cert)
{
  g_autoptr(GString) names = g_string_new (NULL);
  GENERAL_NAMES *sans = X509_get_ext_d2i (cert, NID_subject_alt_name, NULL, NULL);

  for (int i = 0; sans != NULL && i < sk_GENERAL_NAME_num (sans); i++)
    {
      if (i == MAX_NAMES_SHOWN)
        {
          g_string_append_printf (names, " and %d more", sk_GENERAL_NAME_num (sans) - i);
          break;
        }
      const GENERAL_NAME *gn = sk_GENERAL_NAME_value (sans, i);
      g_autofree char *text = NULL;

      if (gn->type == GEN_DNS)
        {
          text = g_strndup ((const char *) ASN1_STRING_get0_data (gn->d.dNSName),
                            ASN1_STRING_length (gn->d.dNSName));
        }
      else if (gn->type == GEN_IPADD)
        {
          int len = ASN1_STRING_length (gn->d.iPAddress);
          const guint8 *bytes = ASN1_STRING_get0_data (gn->d.iPAddress);
          g_autoptr(GInetAddress) address = NULL;

          if (len == 4)
            address = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV4);
          else if (len == 16)
            address = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
          if (address != NULL)
            text = g_inet_address_to_string (address);
        }
      if (text != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid (text, -1);

          g_string_append_printf (names, "%s'%s'", names->len > 0 ? ", " : "", valid);
        }
    }
  GENERAL_NAMES_free (sans);

  if (names->len == 0)
    {
      char cn[256] = "";

      if (X509_NAME_get_text_by_NID (X509_get_subject_name (cert), NID_commonName,
                                     cn, sizeof cn) > 0)
        {
          g_autofree char *valid = g_utf8_make_valid (cn, -1);

          g_string_append_printf (names, "'%s'", valid);
        }
      else
        {
          g_string_append (names, "no name");
        }
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
time_to_string (const ASN1_TIME *t)
{
  BIO *bio = BIO_new (BIO_s_mem ());

  ASN1_TIME_print (bio, t);
  return bio_free_to_string (bio);
}

static void
remember_peer (HailSipTlsSession *self,
               X509              *cert)
{
  if (cert == NULL || self->peer_cert != NULL)
    return;
  X509_up_ref (cert);
  self->peer_cert = cert;
  self->peer_subject = name_to_string (X509_get_subject_name (cert));
  self->peer_issuer = name_to_string (X509_get_issuer_name (cert));
}

/* Keeps OpenSSL's verdict; only remembers what failed and the leaf, so the
 * error can say which check failed and show the certificate. */
static int
verify_cb (int             preverify_ok,
           X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  HailSipTlsSession *self = SSL_get_app_data (ssl);

  remember_peer (self, X509_STORE_CTX_get0_cert (store));
  if (!preverify_ok && self->verify_error == X509_V_OK)
    {
      X509 *current = X509_STORE_CTX_get_current_cert (store);

      self->verify_error = X509_STORE_CTX_get_error (store);
      self->verify_depth = X509_STORE_CTX_get_error_depth (store);
      if (current != NULL)
        self->verify_issuer = name_to_string (X509_get_issuer_name (current));
    }
  return preverify_ok;
}

static gboolean
matches_pin (HailSipTlsSession *self,
             X509              *cert)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  return cert != NULL && X509_digest (cert, self->pin_md, digest, &len) == 1
         && len == self->pin_len && CRYPTO_memcmp (digest, self->pin, len) == 0;
}

/* A pinned session: the leaf decides, whatever its chain, names or dates
 * (RFC 8122 §5); certificates above it do not matter. */
static int
pinned_verify_cb (int             preverify_ok,
                  X509_STORE_CTX *store)
{
  SSL *ssl = X509_STORE_CTX_get_ex_data (store, SSL_get_ex_data_X509_STORE_CTX_idx ());
  HailSipTlsSession *self = SSL_get_app_data (ssl);

  remember_peer (self, X509_STORE_CTX_get0_cert (store));
  if (X509_STORE_CTX_get_error_depth (store) > 0)
    return 1;
  if (matches_pin (self, X509_STORE_CTX_get_current_cert (store)))
    {
      X509_STORE_CTX_set_error (store, X509_V_OK);
      return 1;
    }
  /* Sent as a bad_certificate alert, so the peer learns why. */
  X509_STORE_CTX_set_error (store, X509_V_ERR_CERT_REJECTED);
  self->pin_mismatch = TRUE;
  return 0;
}

static void
set_pin_error (HailSipTlsSession  *self,
               GError            **error)
{
  const char *check = "the peer's certificate does not match the fingerprint in its SDP";

  if (self->peer_subject != NULL)
    g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY,
                 "%s [certificate subject: %s; issuer: %s]",
                 check, self->peer_subject, self->peer_issuer);
  else
    g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY, check);
}

static void
set_verify_error (HailSipTlsSession  *self,
                  GError            **error)
{
  int code = self->verify_error != X509_V_OK ? self->verify_error
                                             : (int) SSL_get_verify_result (self->ssl);
  const char *reason = X509_verify_cert_error_string (code);
  g_autofree char *check = NULL;

  switch (code)
    {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      {
        g_autofree char *names = self->peer_cert != NULL ? certificate_names (self->peer_cert)
                                                         : g_strdup ("another name");

        check = g_strdup_printf ("the certificate is for %s, not '%s'", names, self->peer_name);
      }
      break;

    case X509_V_ERR_CERT_HAS_EXPIRED:
      {
        g_autofree char *until = self->peer_cert != NULL && self->verify_depth == 0
                                 ? time_to_string (X509_get0_notAfter (self->peer_cert))
                                 : NULL;

        if (until != NULL)
          check = g_strdup_printf ("the certificate has expired: %s presented one valid until %s",
                                   self->peer_name, until);
        else
          check = g_strdup_printf ("the certificate has expired: a certificate in the chain of %s",
                                   self->peer_name);
      }
      break;

    case X509_V_ERR_CERT_NOT_YET_VALID:
      check = g_strdup_printf ("the certificate of %s is not valid yet", self->peer_name);
      break;

    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
    case X509_V_ERR_INVALID_CA:
      check = g_strdup_printf ("the certificate of %s is not trusted: %s (issuer: %s)",
                               self->peer_name, reason,
                               self->verify_issuer != NULL ? self->verify_issuer : "unknown");
      break;

    default:
      check = g_strdup_printf ("the certificate of %s could not be verified: %s",
                               self->peer_name, reason);
      break;
    }

  if (self->peer_subject != NULL)
    g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY,
                 "%s [certificate subject: %s; issuer: %s]",
                 check, self->peer_subject, self->peer_issuer);
  else
    g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY, check);
}

/* Maps the result of an SSL_* call that returned @ret. */
static void
set_ssl_error (HailSipTlsSession  *self,
               int                 ret,
               const char         *what,
               GError            **error)
{
  int code = SSL_get_error (self->ssl, ret);

  if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE)
    {
      ERR_clear_error ();
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Waiting for the peer");
    }
  else if (code == SSL_ERROR_ZERO_RETURN)
    {
      ERR_clear_error ();
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS,
                           "The peer closed the TLS session");
    }
  else
    {
      g_autofree char *prefix = self->peer_name != NULL
        ? g_strdup_printf ("%s with %s failed", what, self->peer_name)
        : g_strdup_printf ("%s failed", what);

      _hail_sip_tls_set_error (error, prefix);
    }
}

static void
hail_sip_tls_session_finalize (GObject *object)
{
  HailSipTlsSession *self = (HailSipTlsSession *)object;

  g_clear_pointer (&self->ssl, SSL_free);
  g_clear_pointer (&self->peer_cert, X509_free);
  g_clear_pointer (&self->peer_name, g_free);
  g_clear_pointer (&self->peer_subject, g_free);
  g_clear_pointer (&self->peer_issuer, g_free);
  g_clear_pointer (&self->verify_issuer, g_free);

  G_OBJECT_CLASS (hail_sip_tls_session_parent_class)->finalize (object);
}

static void
hail_sip_tls_session_class_init (HailSipTlsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sip_tls_session_finalize;
}

static void
hail_sip_tls_session_init (HailSipTlsSession *self)
{
  self->verify_error = X509_V_OK;
}

/* A session over @context, in the role the context is for. */
static HailSipTlsSession *
session_new (HailSipTlsContext  *context,
             GError            **error)
{
  g_autoptr(HailSipTlsSession) self = g_object_new (HAIL_TYPE_SIP_TLS_SESSION, NULL);

  ERR_clear_error ();
  self->ssl = SSL_new (_hail_sip_tls_context_get_ssl_ctx (context));
  self->input = BIO_new (BIO_s_mem ());
  self->output = BIO_new (BIO_s_mem ());
  if (self->ssl == NULL || self->input == NULL || self->output == NULL)
    {
      g_clear_pointer (&self->input, BIO_free);
      g_clear_pointer (&self->output, BIO_free);
      _hail_sip_tls_set_error (error, "Cannot create a TLS session");
      return NULL;
    }
  /* An empty input BIO means "wait", not end of file. */
  BIO_set_mem_eof_return (self->input, -1);
  SSL_set_bio (self->ssl, self->input, self->output);
  SSL_set_app_data (self->ssl, self);
  if (hail_sip_tls_context_is_server (context))
    SSL_set_accept_state (self->ssl);
  else
    SSL_set_connect_state (self->ssl);
  return g_steal_pointer (&self);
}

HailSipTlsSession *
hail_sip_tls_session_new (HailSipTlsContext  *context,
                          const char         *peer_name,
                          GError            **error)
{
  g_autoptr(HailSipTlsSession) self = NULL;
  gboolean server;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_CONTEXT (context), NULL);
  server = hail_sip_tls_context_is_server (context);
  g_return_val_if_fail (server == (peer_name == NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = session_new (context, error);
  if (self == NULL || server)
    return g_steal_pointer (&self);

  self->peer_name = g_strdup (peer_name);
  SSL_set_verify (self->ssl, SSL_VERIFY_PEER, verify_cb);
  if (g_hostname_is_ip_address (peer_name))
    {
      /* RFC 6066 §3: no SNI for address literals; check the IP SAN instead. */
      if (X509_VERIFY_PARAM_set1_ip_asc (SSL_get0_param (self->ssl), peer_name) != 1)
        {
          _hail_sip_tls_set_error (error, "Cannot check the peer address");
          return NULL;
        }
    }
  else
    {
      SSL_set_hostflags (self->ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      if (SSL_set_tlsext_host_name (self->ssl, peer_name) != 1 ||
          SSL_set1_host (self->ssl, peer_name) != 1)
        {
          _hail_sip_tls_set_error (error, "Cannot check the peer name");
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

HailSipTlsSession *
hail_sip_tls_session_new_pinned (HailSipTlsContext  *context,
                                 const char         *fingerprint,
                                 GError            **error)
{
  g_autoptr(HailSipTlsSession) self = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_CONTEXT (context), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = session_new (context, error);
  if (self == NULL
      || !_hail_sip_tls_fingerprint_parse (fingerprint, &self->pin_md, self->pin, &self->pin_len,
                                           error))
    return NULL;
  /* A server asks for the client's certificate and refuses a client
   * without one: the pin is the only thing that authenticates it. */
  SSL_set_verify (self->ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                  pinned_verify_cb);
  return g_steal_pointer (&self);
}

void
hail_sip_tls_session_receive (HailSipTlsSession *self,
                              const guint8      *data,
                              gsize              len)
{
  g_return_if_fail (HAIL_IS_SIP_TLS_SESSION (self));
  g_return_if_fail (len <= G_MAXINT);

  /* A memory BIO only fails when out of memory, which aborts anyway. */
  if (len > 0)
    BIO_write (self->input, data, (int) len);
}

gboolean
hail_sip_tls_session_handshake (HailSipTlsSession  *self,
                                GError            **error)
{
  int ret;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), FALSE);

  if (SSL_is_init_finished (self->ssl))
    return TRUE;

  ERR_clear_error ();
  ret = SSL_do_handshake (self->ssl);
  if (ret == 1)
    {
      remember_peer (self, SSL_get0_peer_certificate (self->ssl));
      /* Belt and braces: the callback saw the leaf, this is the same one. */
      if (self->pin_len > 0 && !matches_pin (self, SSL_get0_peer_certificate (self->ssl)))
        {
          set_pin_error (self, error);
          return FALSE;
        }
      return TRUE;
    }
  if (self->pin_mismatch)
    {
      ERR_clear_error ();
      set_pin_error (self, error);
      return FALSE;
    }
  if (self->peer_name != NULL &&
      (self->verify_error != X509_V_OK || SSL_get_verify_result (self->ssl) != X509_V_OK))
    {
      ERR_clear_error ();
      set_verify_error (self, error);
      return FALSE;
    }
  set_ssl_error (self, ret, "The TLS handshake", error);
  return FALSE;
}

gssize
hail_sip_tls_session_read (HailSipTlsSession  *self,
                           guint8             *buffer,
                           gsize               len,
                           GError            **error)
{
  int ret;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), -1);
  g_return_val_if_fail (len > 0, -1);

  ERR_clear_error ();
  ret = SSL_read (self->ssl, buffer, (int) MIN (len, (gsize) G_MAXINT));
  if (ret > 0)
    return ret;
  if (SSL_get_error (self->ssl, ret) == SSL_ERROR_ZERO_RETURN)
    {
      ERR_clear_error ();
      return 0;
    }
  set_ssl_error (self, ret, "Reading from TLS", error);
  return -1;
}

gboolean
hail_sip_tls_session_write (HailSipTlsSession  *self,
                            const guint8       *data,
                            gsize               len,
                            GError            **error)
{
  int ret;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), FALSE);
  g_return_val_if_fail (SSL_is_init_finished (self->ssl), FALSE);
  g_return_val_if_fail (len > 0 && len <= G_MAXINT, FALSE);

  /* The output is a memory BIO, so the whole buffer is always taken. */
  ERR_clear_error ();
  ret = SSL_write (self->ssl, data, (int) len);
  if (ret == (int) len)
    return TRUE;
  set_ssl_error (self, ret, "Writing to TLS", error);
  return FALSE;
}

void
hail_sip_tls_session_shutdown (HailSipTlsSession *self)
{
  g_return_if_fail (HAIL_IS_SIP_TLS_SESSION (self));

  /* Best effort: the flow closes right after, without waiting for the
   * peer's own close_notify (RFC 8446 §6.1 allows it). */
  ERR_clear_error ();
  if (SSL_is_init_finished (self->ssl))
    SSL_shutdown (self->ssl);
  ERR_clear_error ();
}

GBytes *
hail_sip_tls_session_take_output (HailSipTlsSession *self)
{
  char *data = NULL;
  long len;
  GBytes *bytes;

  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), NULL);

  len = BIO_get_mem_data (self->output, &data);
  if (len <= 0)
    return NULL;
  bytes = g_bytes_new (data, len);
  (void) BIO_reset (self->output);
  return bytes;
}

gboolean
hail_sip_tls_session_is_established (HailSipTlsSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), FALSE);

  return SSL_is_init_finished (self->ssl);
}

const char *
hail_sip_tls_session_get_peer_subject (HailSipTlsSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), NULL);

  return self->peer_subject;
}

const char *
hail_sip_tls_session_get_peer_issuer (HailSipTlsSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TLS_SESSION (self), NULL);

  return self->peer_issuer;
}
