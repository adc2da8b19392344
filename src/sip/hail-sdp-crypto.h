/* hail-sdp-crypto.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SDES: a=crypto for SRTP (RFC 4568), and its master keys.
 */
#pragma once

#include "hail-sdp-session.h"

G_BEGIN_DECLS

/* RFC 3711 §8.2 / RFC 4568 §6.2: AES_CM_128 suites take a 16-byte master
 * key and a 14-byte master salt, sent as one base64 "key||salt". */
#define HAIL_SDP_CRYPTO_KEY_SALT_LEN 30

typedef enum {
  HAIL_SDP_CRYPTO_SUITE_UNKNOWN,
  HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80,
  HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32,
} HailSdpCryptoSuite;

/* One key-param: "inline:<key||salt>[|<lifetime>][|<MKI>:<length>]". */
typedef struct {
  char     *method;       /* "inline" */
  char     *info;         /* the key-info text, verbatim */
  GBytes   *key_salt;     /* decoded; NULL unless the method is inline */
  guint     lifetime_log2;  /* 0 when absent or not a power of two */
  guint64   lifetime;     /* packets, 0 when absent (G_MAXUINT64 caps 2^64) */
  gboolean  has_mki;
  guint64   mki;
  guint     mki_length;   /* bytes, 1..128 */
} HailSdpCryptoKey;

/* a=crypto:<tag> <suite> <key-params> [<session-params>]. */
typedef struct {
  guint               tag;
  char               *suite_name;
  HailSdpCryptoSuite  suite;
  GPtrArray          *keys;            /* of HailSdpCryptoKey *, at least one */
  char               *session_params;  /* verbatim, or NULL */
} HailSdpCrypto;

const char         *hail_sdp_crypto_suite_to_string   (HailSdpCryptoSuite suite);
HailSdpCryptoSuite  hail_sdp_crypto_suite_from_string (const char        *name);

HailSdpCrypto      *hail_sdp_crypto_parse             (const char        *value,
                                                       GError           **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                hail_sdp_crypto_free              (HailSdpCrypto     *crypto);
GPtrArray          *hail_sdp_media_dup_cryptos        (const HailSdpMedia *media)
                                                       G_GNUC_WARN_UNUSED_RESULT;

GBytes             *hail_sdp_crypto_generate_key      (GError           **error)
                                                       G_GNUC_WARN_UNUSED_RESULT;
char               *hail_sdp_crypto_format            (guint              tag,
                                                       HailSdpCryptoSuite suite,
                                                       GBytes            *key_salt)
                                                       G_GNUC_WARN_UNUSED_RESULT;
void                hail_sdp_media_add_crypto         (HailSdpMedia      *media,
                                                       guint              tag,
                                                       HailSdpCryptoSuite suite,
                                                       GBytes            *key_salt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpCrypto, hail_sdp_crypto_free)

G_END_DECLS
