/* hail-sip-tls-identity.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A self-signed certificate made in memory with the OpenSSL 3.0 API, and
 * the a=fingerprint values (RFC 8122 §5) that pin such certificates. The
 * certificate's names and dates carry no meaning: a peer trusts it only
 * because its digest came in an SDP body over the verified SIP TLS flow.
 */
#include "config.h"

#include "hail-sip-tls-identity.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-tls-private.h"

/* Long enough that no session outlives it; a pinned certificate's dates
 * are not checked anyway (RFC 8122 §5: the fingerprint is the trust). */
#define VALIDITY_DAYS 365

/* Hash names are short tokens: "sha-256". */
#define MAX_HASH_NAME 16

struct _HailSipTlsIdentity
{
  GObject parent_instance;

  /* Owned. */
  EVP_PKEY *key;
  X509     *certificate;
  char     *fingerprint;
};

G_DEFINE_FINAL_TYPE (HailSipTlsIdentity, hail_sip_tls_identity, G_TYPE_OBJECT)

static void
hail_sip_tls_identity_finalize (GObject *object)
{
  HailSipTlsIdentity *self = (HailSipTlsIdentity *)object;

  g_clear_pointer (&self->certificate, X509_free);
  g_clear_pointer (&self->key, EVP_PKEY_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (hail_sip_tls_identity_parent_class)->finalize (object);
}

static void
hail_sip_tls_identity_class_init (HailSipTlsIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sip_tls_identity_finalize;
}

static void
hail_sip_tls_identity_init (HailSipTlsIdentity *self)
{
}

/* "AB:CD:..." for @len bytes. */
static char *
hex_pairs (const guint8 *digest,
           guint         len)
{
  GString *out = g_string_sized_new (len * 3);

  for (guint i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

static gboolean
make_certificate (HailSipTlsIdentity  *self,
                  GError             **error)
{
  g_autofree char *hex = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_NAME *name;
  BIGNUM *serial;
  gboolean ok;

  self->certificate = X509_new ();
  serial = BN_new ();
  /* RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; random,
   * so two certificates of ours never share issuer and serial. */
  ok = self->certificate != NULL && serial != NULL
       && BN_rand (serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1
       && BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (self->certificate)) != NULL
       && X509_set_version (self->certificate, X509_VERSION_3) == 1
       && X509_gmtime_adj (X509_getm_notBefore (self->certificate), -24 * 60 * 60) != NULL
       && X509_gmtime_adj (X509_getm_notAfter (self->certificate),
                           (long) VALIDITY_DAYS * 24 * 60 * 60) != NULL
       && X509_set_pubkey (self->certificate, self->key) == 1;
  BN_free (serial);
  if (ok)
    {
      name = X509_get_subject_name (self->certificate);
      ok = X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC,
                                       (const unsigned char *) "Hail", -1, -1, 0) == 1
           && X509_set_issuer_name (self->certificate, name) == 1
           && X509_sign (self->certificate, self->key, EVP_sha256 ()) > 0
           && X509_digest (self->certificate, EVP_sha256 (), digest, &len) == 1;
    }
  if (!ok)
    {
      _hail_sip_tls_set_error (error, "Cannot make a certificate");
      return FALSE;
    }
  hex = hex_pairs (digest, len);
  self->fingerprint = g_strconcat ("sha-256 ", hex, NULL);
  return TRUE;
}

HailSipTlsIdentity *
hail_sip_tls_identity_new (GError **error)
{
  g_autoptr(HailSipTlsIdentity) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TLS_IDENTITY, NULL);
  ERR_clear_error ();
  self->key = EVP_EC_gen ("P-256");
  if (self->key == NULL)
    {
      _hail_sip_tls_set_error (error, "Cannot make a key pair");
      return NULL;
    }
  if (!make_certificate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

HailSipTlsIdentity *
hail_sip_tls_identity_dup_default (GError **error)
{
  static GMutex lock;
  static HailSipTlsIdentity *identity;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Kept for the life of the process, on purpose. */
  if (identity == NULL)
    identity = hail_sip_tls_identity_new (error);
  return identity != NULL ? g_object_ref (identity) : NULL;
}

const char *
hail_sip_tls_identity_get_fingerprint (HailSipTlsIdentity *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TLS_IDENTITY (self), NULL);

  return self->fingerprint;
}

X509 *
_hail_sip_tls_identity_get_certificate (HailSipTlsIdentity *self)
{
  g_assert (HAIL_IS_SIP_TLS_IDENTITY (self));

  return self->certificate;
}

EVP_PKEY *
_hail_sip_tls_identity_get_key (HailSipTlsIdentity *self)
{
  g_assert (HAIL_IS_SIP_TLS_IDENTITY (self));

  return self->key;
}

static const EVP_MD *
hash_for_name (const char *name,
               gsize       len)
{
  static const struct {
    const char *name;
    const EVP_MD *(*md) (void);
  } hashes[] = {
    { "sha-256", EVP_sha256 },
    { "sha-384", EVP_sha384 },
    { "sha-512", EVP_sha512 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hashes); i++)
    if (strlen (hashes[i].name) == len && g_ascii_strncasecmp (hashes[i].name, name, len) == 0)
      return hashes[i].md ();
  return NULL;
}

/* Hashes RFC 8122 §5 still lists: a pin is only as strong as its hash, so
 * these are named in the error rather than called unknown. */
static gboolean
is_weak_hash (const char *name,
              gsize       len)
{
  static const char *const weak[] = { "sha-1", "sha-224", "md5", "md2" };

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    if (strlen (weak[i]) == len && g_ascii_strncasecmp (weak[i], name, len) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_hail_sip_tls_fingerprint_parse (const char     *value,
                                 const EVP_MD  **md,
                                 guint8         *digest,
                                 guint          *len,
                                 GError        **error)
{
  const char *space;
  const char *hex;
  gsize name_len;
  gsize hex_len;
  int size;

  /* RFC 8122 §5 has no blanks around the value; some peers write them. */
  while (value != NULL && (*value == ' ' || *value == '\t'))
    value++;
  space = value != NULL ? strchr (value, ' ') : NULL;
  if (space == NULL || space == value)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The a=fingerprint is not “hash digest”");
      return FALSE;
    }
  name_len = space - value;
  *md = hash_for_name (value, name_len);
  if (*md == NULL)
    {
      g_autofree char *name = g_utf8_make_valid (value, MIN (name_len, MAX_HASH_NAME));

      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   is_weak_hash (value, name_len)
                   ? "The a=fingerprint uses %s, too weak to trust (sha-256 or better is needed)"
                   : "The a=fingerprint uses the unknown hash “%s”", name);
      return FALSE;
    }
  size = EVP_MD_get_size (*md);
  hex = space + 1;
  hex_len = strlen (hex);
  while (hex_len > 0 && (hex[hex_len - 1] == ' ' || hex[hex_len - 1] == '\t'))
    hex_len--;
  if (hex_len != (gsize) size * 3 - 1)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "The a=fingerprint digest is not %d hex pairs", size);
      return FALSE;
    }
  for (int i = 0; i < size; i++)
    {
      const char *pair = hex + i * 3;
      int high = g_ascii_xdigit_value (pair[0]);
      int low = g_ascii_xdigit_value (pair[1]);

      if (high < 0 || low < 0 || (i + 1 < size && pair[2] != ':'))
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The a=fingerprint digest is not %d hex pairs", size);
          return FALSE;
        }
      digest[i] = (guint8) (high << 4 | low);
    }
  *len = (guint) size;
  return TRUE;
}

gsize
hail_sip_tls_fingerprint_check (const char  *value,
                                GError     **error)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  const EVP_MD *md = NULL;
  guint len = 0;

  g_return_val_if_fail (value != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!_hail_sip_tls_fingerprint_parse (value, &md, digest, &len, error))
    return 0;
  return len;
}
