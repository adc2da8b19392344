/* hail-sdp-crypto.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-crypto.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <string.h>

/* RFC 4568 §9.1: tag = 1*9DIGIT. */
#define MAX_TAG 999999999

static const char * const suite_names[] = {
  [HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80] = "AES_CM_128_HMAC_SHA1_80",
  [HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32] = "AES_CM_128_HMAC_SHA1_32",
};

/* Key material lives in GBytes whose last unref wipes it. */
typedef struct {
  guchar *data;
  gsize   len;
} Secret;

static void
secret_free (Secret *secret)
{
  OPENSSL_cleanse (secret->data, secret->len);
  g_free (secret->data);
  g_free (secret);
}

static GBytes *
secret_bytes_take (guchar *data,
                   gsize   len)
{
  Secret *secret = g_new (Secret, 1);

  secret->data = data;
  secret->len = len;
  return g_bytes_new_with_free_func (data, len, (GDestroyNotify) secret_free, secret);
}

static void
crypto_key_free (HailSdpCryptoKey *key)
{
  g_free (key->method);
  g_free (key->info);
  g_clear_pointer (&key->key_salt, g_bytes_unref);
  g_free (key);
}

/* g_base64_decode() skips characters outside the alphabet; a key must be
 * exactly what the peer meant, so check it first. */
static GBytes *
decode_base64_strict (const char *text,
                      gsize       len)
{
  g_autofree char *copy = NULL;
  gsize pad = 0;
  gsize out_len = 0;
  guchar *out;

  if (len == 0 || len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < len - 2)
            return NULL;
          pad++;
        }
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
    }
  copy = g_strndup (text, len);
  out = g_base64_decode (copy, &out_len);
  OPENSSL_cleanse (copy, len);
  return secret_bytes_take (out, out_len);
}

/* key-info = key-salt ["|" lifetime] ["|" mki] (RFC 4568 §6.1). The two
 * optional parts are told apart by the ":" only an MKI has. */
static gboolean
parse_inline (HailSdpCryptoKey  *key,
              HailSdpCryptoSuite suite,
              GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (key->info, "|", 4);
  guint n = g_strv_length (parts);

  if (n == 0 || n > 3)
    return _hail_sdp_malformed (error, "inline key has too many \"|\" parts");
  key->key_salt = decode_base64_strict (parts[0], strlen (parts[0]));
  if (key->key_salt == NULL)
    return _hail_sdp_malformed (error, "inline key is not base64");
  if (suite != HAIL_SDP_CRYPTO_SUITE_UNKNOWN
      && g_bytes_get_size (key->key_salt) != HAIL_SDP_CRYPTO_KEY_SALT_LEN)
    return _hail_sdp_malformed (error, "inline key is not 30 bytes of key and salt");

  for (guint i = 1; i < n; i++)
    {
      const char *part = parts[i];
      const char *colon = strchr (part, ':');
      guint64 v;

      if (colon != NULL)
        {
          if (key->has_mki)
            return _hail_sdp_malformed (error, "two MKIs");
          if (!_hail_sdp_parse_uint (part, (gsize) (colon - part), G_MAXUINT64, &key->mki)
              || !_hail_sdp_parse_uint (colon + 1, strlen (colon + 1), 128, &v) || v == 0)
            return _hail_sdp_malformed (error, "MKI is not <value>:<length 1..128>");
          key->has_mki = TRUE;
          key->mki_length = (guint) v;
        }
      else
        {
          if (key->lifetime != 0 || key->has_mki || i != 1)
            return _hail_sdp_malformed (error, "lifetime misplaced");
          if (g_str_has_prefix (part, "2^"))
            {
              if (!_hail_sdp_parse_uint (part + 2, strlen (part + 2), 64, &v) || v == 0)
                return _hail_sdp_malformed (error, "lifetime is not 2^1..2^64");
              key->lifetime_log2 = (guint) v;
              key->lifetime = v >= 64 ? G_MAXUINT64 : G_GUINT64_CONSTANT (1) << v;
            }
          else if (!_hail_sdp_parse_uint (part, strlen (part), G_MAXUINT64, &key->lifetime)
                   || key->lifetime == 0)
            return _hail_sdp_malformed (error, "lifetime is not a number");
        }
    }
  return TRUE;
}

const char *
hail_sdp_crypto_suite_to_string (HailSdpCryptoSuite suite)
{
  g_return_val_if_fail (suite > HAIL_SDP_CRYPTO_SUITE_UNKNOWN
                        && suite < G_N_ELEMENTS (suite_names), NULL);
  return suite_names[suite];
}

HailSdpCryptoSuite
hail_sdp_crypto_suite_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, HAIL_SDP_CRYPTO_SUITE_UNKNOWN);

  for (guint i = 1; i < G_N_ELEMENTS (suite_names); i++)
    if (g_str_equal (name, suite_names[i]))
      return (HailSdpCryptoSuite) i;
  return HAIL_SDP_CRYPTO_SUITE_UNKNOWN;
}

void
hail_sdp_crypto_free (HailSdpCrypto *crypto)
{
  if (crypto == NULL)
    return;
  g_free (crypto->suite_name);
  g_clear_pointer (&crypto->keys, g_ptr_array_unref);
  g_free (crypto->session_params);
  g_free (crypto);
}

/**
 * hail_sdp_crypto_parse:
 * @value: what follows "a=crypto:"
 *
 * Parses RFC 4568 §9.1 syntax. Keys of the AES_CM_128 suites must decode to
 * 30 bytes; other suites are kept (with their keys checked as base64) so
 * that an answerer can skip them.
 *
 * Returns: (transfer full): the attribute, or NULL with HAIL_SIP_ERROR_MALFORMED
 */
HailSdpCrypto *
hail_sdp_crypto_parse (const char  *value,
                       GError     **error)
{
  g_autoptr(HailSdpCrypto) crypto = NULL;
  g_auto(GStrv) fields = NULL;
  g_auto(GStrv) key_params = NULL;
  guint64 tag;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (value == NULL)
    {
      _hail_sdp_malformed (error, "expected <tag> <crypto-suite> <key-params>");
      return NULL;
    }
  fields = g_strsplit (value, " ", 4);
  if (g_strv_length (fields) < 3
      || !_hail_sdp_parse_uint (fields[0], strlen (fields[0]), MAX_TAG, &tag))
    {
      _hail_sdp_malformed (error, "expected <tag 0..999999999> <crypto-suite> <key-params>");
      return NULL;
    }
  if (*fields[1] == '\0' || *fields[2] == '\0')
    {
      _hail_sdp_malformed (error, "empty crypto-suite or key-params");
      return NULL;
    }

  crypto = g_new0 (HailSdpCrypto, 1);
  crypto->tag = (guint) tag;
  crypto->suite_name = g_strdup (fields[1]);
  crypto->suite = hail_sdp_crypto_suite_from_string (fields[1]);
  crypto->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) crypto_key_free);
  if (fields[3] != NULL && *fields[3] != '\0')
    crypto->session_params = g_strdup (fields[3]);

  key_params = g_strsplit (fields[2], ";", -1);
  for (guint i = 0; key_params[i] != NULL; i++)
    {
      const char *colon = strchr (key_params[i], ':');
      HailSdpCryptoKey *key;

      if (colon == NULL || colon == key_params[i] || colon[1] == '\0')
        {
          _hail_sdp_malformed (error, "key-param is not <method>:<info>");
          return NULL;
        }
      key = g_new0 (HailSdpCryptoKey, 1);
      key->method = g_strndup (key_params[i], (gsize) (colon - key_params[i]));
      key->info = g_strdup (colon + 1);
      g_ptr_array_add (crypto->keys, key);
      if (g_str_equal (key->method, "inline") && !parse_inline (key, crypto->suite, error))
        return NULL;
    }
  /* RFC 4568 §6.1: the SRTP suites only define "inline". */
  if (crypto->suite != HAIL_SDP_CRYPTO_SUITE_UNKNOWN)
    for (guint i = 0; i < crypto->keys->len; i++)
      {
        const HailSdpCryptoKey *key = g_ptr_array_index (crypto->keys, i);

        if (key->key_salt == NULL)
          {
            _hail_sdp_malformed (error, "SRTP key method is not inline");
            return NULL;
          }
      }
  return g_steal_pointer (&crypto);
}

/**
 * hail_sdp_media_dup_cryptos:
 *
 * Returns: (transfer full) (element-type HailSdpCrypto): the section's
 * well-formed a=crypto lines, in order
 */
GPtrArray *
hail_sdp_media_dup_cryptos (const HailSdpMedia *media)
{
  GPtrArray *cryptos;

  g_return_val_if_fail (media != NULL, NULL);

  cryptos = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sdp_crypto_free);
  for (guint i = 0; i < media->attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (media->attributes, i);
      HailSdpCrypto *crypto;

      if (g_str_equal (attr->name, "crypto")
          && (crypto = hail_sdp_crypto_parse (attr->value, NULL)) != NULL)
        g_ptr_array_add (cryptos, crypto);
    }
  return cryptos;
}

/**
 * hail_sdp_crypto_generate_key:
 *
 * Draws a master key and salt from OpenSSL's CSPRNG (g_random is
 * predictable, so never for keys).
 *
 * Returns: (transfer full): HAIL_SDP_CRYPTO_KEY_SALT_LEN bytes, which the
 * caller should not log
 */
GBytes *
hail_sdp_crypto_generate_key (GError **error)
{
  guchar *buf;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buf = g_malloc (HAIL_SDP_CRYPTO_KEY_SALT_LEN);
  if (RAND_bytes (buf, HAIL_SDP_CRYPTO_KEY_SALT_LEN) != 1)
    {
      g_free (buf);
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The random generator failed: %s", ERR_reason_error_string (ERR_get_error ()));
      return NULL;
    }
  return secret_bytes_take (buf, HAIL_SDP_CRYPTO_KEY_SALT_LEN);
}

/* Returns: (transfer full): "<tag> <suite> inline:<base64 key||salt>". */
char *
hail_sdp_crypto_format (guint              tag,
                        HailSdpCryptoSuite suite,
                        GBytes            *key_salt)
{
  g_autofree char *b64 = NULL;
  char *value;
  gsize len = 0;
  const guchar *data;

  g_return_val_if_fail (tag <= MAX_TAG, NULL);
  g_return_val_if_fail (suite != HAIL_SDP_CRYPTO_SUITE_UNKNOWN, NULL);
  g_return_val_if_fail (key_salt != NULL, NULL);

  data = g_bytes_get_data (key_salt, &len);
  g_return_val_if_fail (len == HAIL_SDP_CRYPTO_KEY_SALT_LEN, NULL);
  b64 = g_base64_encode (data, len);
  value = g_strdup_printf ("%u %s inline:%s", tag, hail_sdp_crypto_suite_to_string (suite), b64);
  OPENSSL_cleanse (b64, strlen (b64));
  return value;
}

void
hail_sdp_media_add_crypto (HailSdpMedia      *media,
                           guint              tag,
                           HailSdpCryptoSuite suite,
                           GBytes            *key_salt)
{
  g_autofree char *value = NULL;

  g_return_if_fail (media != NULL);

  value = hail_sdp_crypto_format (tag, suite, key_salt);
  if (value != NULL)
    hail_sdp_media_add_attribute (media, "crypto", value);
}
