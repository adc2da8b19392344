/* hail-sip-digest.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HTTP Digest access authentication as SIP uses it (RFC 3261 §22, RFC 2617,
 * RFC 7616, RFC 8760): parsing WWW-/Proxy-Authenticate and Authorization
 * header values, choosing a challenge and writing the answer. Pure functions
 * over strings: no network, no state (HailSipAuth keeps the state).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bounds on what a peer may send us; longer or more is HAIL_SIP_ERROR_TOO_LARGE. */
#define HAIL_SIP_DIGEST_MAX_VALUE_LEN   8192  /* one header value, bytes */
#define HAIL_SIP_DIGEST_MAX_PARAM_LEN   1024  /* one parameter value, bytes after unquoting */
#define HAIL_SIP_DIGEST_MAX_NAME_LEN      64  /* a scheme or parameter name */
#define HAIL_SIP_DIGEST_MAX_PARAMS        32  /* parameters of one challenge */
#define HAIL_SIP_DIGEST_MAX_CHALLENGES    16  /* challenges in one header value */

/* Bytes of CSPRNG output in a cnonce (hex-encoded: twice as many characters). */
#define HAIL_SIP_DIGEST_CNONCE_BYTES      16

/**
 * HailSipDigestAlgorithm:
 * @HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN: one we do not implement
 * @HAIL_SIP_DIGEST_ALGORITHM_MD5: MD5 (also when the challenge names none)
 * @HAIL_SIP_DIGEST_ALGORITHM_SHA256: SHA-256 (RFC 7616, RFC 8760)
 * @HAIL_SIP_DIGEST_ALGORITHM_SHA512_256: SHA-512/256 (RFC 7616, RFC 8760)
 *
 * Ordered by strength, so a larger value is a stronger algorithm.
 */
typedef enum {
  HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN,
  HAIL_SIP_DIGEST_ALGORITHM_MD5,
  HAIL_SIP_DIGEST_ALGORITHM_SHA256,
  HAIL_SIP_DIGEST_ALGORITHM_SHA512_256,
} HailSipDigestAlgorithm;

/**
 * HailSipDigestQop:
 * @HAIL_SIP_DIGEST_QOP_NONE: no qop (RFC 2069 compatibility)
 * @HAIL_SIP_DIGEST_QOP_AUTH: "auth"
 * @HAIL_SIP_DIGEST_QOP_AUTH_INT: "auth-int": the body is covered too
 *
 * Flags in a challenge (what it offers), a single value in an answer.
 */
typedef enum {
  HAIL_SIP_DIGEST_QOP_NONE = 0,
  HAIL_SIP_DIGEST_QOP_AUTH = 1 << 0,
  HAIL_SIP_DIGEST_QOP_AUTH_INT = 1 << 1,
} HailSipDigestQop;

/**
 * HailSipDigestChallenge:
 * @scheme: the auth-scheme as received ("Digest", "Basic", ...)
 * @is_digest: whether @scheme is Digest; the other fields below @raw are
 *   only set for Digest challenges
 * @raw: for other schemes, everything after the scheme, verbatim
 * @realm: the realm (always set for Digest)
 * @nonce: the nonce (always set for Digest)
 * @opaque: the opaque value, "" when sent empty, %NULL when absent
 * @algorithm: the algorithm as spelt by the peer, %NULL when absent
 * @domain: the domain parameter, or %NULL
 * @charset: the charset parameter, or %NULL
 * @algo: @algorithm parsed; MD5 when absent
 * @sess: whether @algorithm is a "-sess" variant
 * @has_qop: whether a qop parameter was present
 * @qop: the qop values offered that we know of
 * @stale: whether stale=true: the nonce expired, the credentials did not
 * @userhash: whether the server wants a hashed username (RFC 7616 §3.4.4)
 *
 * One challenge of a WWW-Authenticate or Proxy-Authenticate value.
 */
typedef struct {
  char                  *scheme;
  gboolean               is_digest;
  char                  *raw;
  char                  *realm;
  char                  *nonce;
  char                  *opaque;
  char                  *algorithm;
  char                  *domain;
  char                  *charset;
  HailSipDigestAlgorithm algo;
  gboolean               sess;
  gboolean               has_qop;
  HailSipDigestQop       qop;
  gboolean               stale;
  gboolean               userhash;
} HailSipDigestChallenge;

/**
 * HailSipDigestCredentials:
 * @scheme: the auth-scheme as received
 * @is_digest: whether @scheme is Digest; the fields below @raw are only set
 *   for Digest credentials, each %NULL when absent
 * @raw: for other schemes, everything after the scheme, verbatim
 * @userhash: whether userhash=true was given
 *
 * An Authorization or Proxy-Authorization value, as a server would read it.
 */
typedef struct {
  char    *scheme;
  gboolean is_digest;
  char    *raw;
  char    *username;
  char    *realm;
  char    *nonce;
  char    *uri;
  char    *response;
  char    *algorithm;
  char    *cnonce;
  char    *opaque;
  char    *qop;
  char    *nc;
  gboolean userhash;
} HailSipDigestCredentials;

/**
 * HailSipDigestInput:
 * @username: the user name to authenticate as (the auth user)
 * @password: the password; never logged, copied only into wiped buffers
 * @method: the request method ("REGISTER")
 * @uri: the Request-URI, as it goes into the digest uri parameter
 * @body: the message body, for qop=auth-int; may be %NULL when @body_len is 0
 * @body_len: length of @body
 * @qop: the qop to answer with; must be one the challenge offers, or NONE
 *   when it offers none
 * @nc: the nonce count (first use of a nonce is 1)
 * @cnonce: the client nonce; %NULL for a fresh one from the CSPRNG (tests
 *   pass fixed ones to check vectors)
 *
 * Everything an answer to a challenge depends on besides the challenge.
 */
typedef struct {
  const char      *username;
  const char      *password;
  const char      *method;
  const char      *uri;
  const guint8    *body;
  gsize            body_len;
  HailSipDigestQop qop;
  guint32          nc;
  const char      *cnonce;
} HailSipDigestInput;

void       hail_sip_digest_challenge_free   (HailSipDigestChallenge *challenge);
HailSipDigestChallenge *
           hail_sip_digest_challenge_copy   (const HailSipDigestChallenge *challenge)
  G_GNUC_WARN_UNUSED_RESULT;
void       hail_sip_digest_credentials_free (HailSipDigestCredentials *credentials);

/* Returns a new array of HailSipDigestChallenge (owning them), one per
 * challenge in @value, unknown schemes included, or %NULL on error. */
GPtrArray *hail_sip_digest_parse_challenges (const char  *value,
                                             gsize        len,
                                             GError     **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Parses one Authorization or Proxy-Authorization value. */
HailSipDigestCredentials *
           hail_sip_digest_parse_credentials (const char  *value,
                                              gsize        len,
                                              GError     **error)
  G_GNUC_WARN_UNUSED_RESULT;

HailSipDigestAlgorithm
           hail_sip_digest_algorithm_from_string (const char *name,
                                                  gboolean   *sess);

/* Whether we can answer @challenge: Digest, known algorithm, and no qop or
 * one we know. */
gboolean   hail_sip_digest_challenge_is_usable (const HailSipDigestChallenge *challenge);

/* The qop to answer @challenge with: auth when offered, unless
 * @want_integrity and auth-int is offered; auth-int when it is all there is. */
HailSipDigestQop
           hail_sip_digest_challenge_choose_qop (const HailSipDigestChallenge *challenge,
                                                 gboolean                      want_integrity);

/* Picks the strongest usable challenge of @challenges (SHA-512-256 >
 * SHA-256 > MD5, RFC 8760 §2.4; the first one on a tie) whose realm is
 * @realm, or of any realm when @realm is %NULL. Returns a pointer into
 * @challenges, or %NULL with HAIL_SIP_ERROR_AUTH_UNSUPPORTED. */
const HailSipDigestChallenge *
           hail_sip_digest_choose (GPtrArray   *challenges,
                                   const char  *realm,
                                   GError     **error);

/* Returns a fresh client nonce: HAIL_SIP_DIGEST_CNONCE_BYTES from OpenSSL's
 * CSPRNG, hex-encoded. */
char      *hail_sip_digest_new_cnonce (GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Computes the request-digest ("response") in lower-case hex. @cnonce is
 * the one to use (input->cnonce is ignored). */
char      *hail_sip_digest_response (const HailSipDigestChallenge *challenge,
                                     const HailSipDigestInput     *input,
                                     const char                   *cnonce,
                                     GError                      **error)
  G_GNUC_WARN_UNUSED_RESULT;

/* Writes the Authorization / Proxy-Authorization value answering
 * @challenge. */
char      *hail_sip_digest_authorization (const HailSipDigestChallenge *challenge,
                                          const HailSipDigestInput     *input,
                                          GError                      **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipDigestChallenge, hail_sip_digest_challenge_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipDigestCredentials, hail_sip_digest_credentials_free)

G_END_DECLS
