/* hail-sip-digest.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Digest computation (RFC 7616 §3.4, RFC 2617 §3.2.2, RFC 2069 when no qop)
 * and the choice between challenges (RFC 8760 §2.4). Parsing lives in
 * hail-sip-digest-parse.c.
 */
#include "config.h"

#include "hail-sip-digest.h"

#include "hail-sip-error.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

/* Hex of the longest digest we use (SHA-256 and SHA-512/256: 32 bytes). */
#define HEX_MAX (2 * EVP_MAX_MD_SIZE + 1)

typedef struct {
  const void *data;
  gsize       len;
} Part;

#define PART_STR(s) ((Part) { (s), strlen (s) })

void
hail_sip_digest_challenge_free (HailSipDigestChallenge *challenge)
{
  if (challenge == NULL)
    return;
  g_free (challenge->scheme);
  g_free (challenge->raw);
  g_free (challenge->realm);
  g_free (challenge->nonce);
  g_free (challenge->opaque);
  g_free (challenge->algorithm);
  g_free (challenge->domain);
  g_free (challenge->charset);
  g_free (challenge);
}

HailSipDigestChallenge *
hail_sip_digest_challenge_copy (const HailSipDigestChallenge *challenge)
{
  HailSipDigestChallenge *copy;

  g_return_val_if_fail (challenge != NULL, NULL);

  copy = g_memdup2 (challenge, sizeof *challenge);
  copy->scheme = g_strdup (challenge->scheme);
  copy->raw = g_strdup (challenge->raw);
  copy->realm = g_strdup (challenge->realm);
  copy->nonce = g_strdup (challenge->nonce);
  copy->opaque = g_strdup (challenge->opaque);
  copy->algorithm = g_strdup (challenge->algorithm);
  copy->domain = g_strdup (challenge->domain);
  copy->charset = g_strdup (challenge->charset);
  return copy;
}

void
hail_sip_digest_credentials_free (HailSipDigestCredentials *credentials)
{
  if (credentials == NULL)
    return;
  g_free (credentials->scheme);
  g_free (credentials->raw);
  g_free (credentials->username);
  g_free (credentials->realm);
  g_free (credentials->nonce);
  g_free (credentials->uri);
  /* A response is a password-derived hash: wipe it like one. */
  if (credentials->response != NULL)
    OPENSSL_cleanse (credentials->response, strlen (credentials->response));
  g_free (credentials->response);
  g_free (credentials->algorithm);
  g_free (credentials->cnonce);
  g_free (credentials->opaque);
  g_free (credentials->qop);
  g_free (credentials->nc);
  g_free (credentials);
}

HailSipDigestAlgorithm
hail_sip_digest_algorithm_from_string (const char *name,
                                       gboolean   *sess)
{
  static const struct {
    const char            *name;
    HailSipDigestAlgorithm algo;
  } names[] = {
    { "MD5", HAIL_SIP_DIGEST_ALGORITHM_MD5 },
    { "SHA-256", HAIL_SIP_DIGEST_ALGORITHM_SHA256 },
    { "SHA-512-256", HAIL_SIP_DIGEST_ALGORITHM_SHA512_256 },
  };
  gsize len;

  g_return_val_if_fail (name != NULL, HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN);

  if (sess != NULL)
    *sess = FALSE;
  len = strlen (name);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i].name);

      if (g_ascii_strncasecmp (name, names[i].name, n) != 0)
        continue;
      if (len == n)
        return names[i].algo;
      if (len == n + 5 && g_ascii_strcasecmp (name + n, "-sess") == 0)
        {
          if (sess != NULL)
            *sess = TRUE;
          return names[i].algo;
        }
    }
  return HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN;
}

gboolean
hail_sip_digest_challenge_is_usable (const HailSipDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, FALSE);

  return challenge->is_digest &&
         challenge->algo != HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN &&
         (!challenge->has_qop || challenge->qop != HAIL_SIP_DIGEST_QOP_NONE);
}

HailSipDigestQop
hail_sip_digest_challenge_choose_qop (const HailSipDigestChallenge *challenge,
                                      gboolean                      want_integrity)
{
  g_return_val_if_fail (challenge != NULL, HAIL_SIP_DIGEST_QOP_NONE);

  if (!challenge->has_qop)
    return HAIL_SIP_DIGEST_QOP_NONE;
  if ((challenge->qop & HAIL_SIP_DIGEST_QOP_AUTH_INT) &&
      (want_integrity || !(challenge->qop & HAIL_SIP_DIGEST_QOP_AUTH)))
    return HAIL_SIP_DIGEST_QOP_AUTH_INT;
  if (challenge->qop & HAIL_SIP_DIGEST_QOP_AUTH)
    return HAIL_SIP_DIGEST_QOP_AUTH;
  return HAIL_SIP_DIGEST_QOP_NONE;
}

const HailSipDigestChallenge *
hail_sip_digest_choose (GPtrArray   *challenges,
                        const char  *realm,
                        GError     **error)
{
  const HailSipDigestChallenge *best = NULL;
  g_autoptr(GString) seen = NULL;

  g_return_val_if_fail (challenges != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < challenges->len; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (challenges, i);

      if (realm != NULL && (!challenge->is_digest || g_strcmp0 (challenge->realm, realm) != 0))
        continue;
      if (!hail_sip_digest_challenge_is_usable (challenge))
        continue;
      /* Strictly stronger only: on a tie the server's first (preferred) wins. */
      if (best == NULL || challenge->algo > best->algo)
        best = challenge;
    }
  if (best != NULL)
    return best;

  /* Say what was offered, so a user can tell "Basic only" from "SHA-1 only". */
  seen = g_string_new (NULL);
  for (guint i = 0; i < challenges->len && i < HAIL_SIP_DIGEST_MAX_CHALLENGES; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (challenges, i);

      g_string_append (seen, i == 0 ? "" : ", ");
      g_string_append (seen, challenge->scheme);
      if (challenge->is_digest && challenge->algorithm != NULL)
        g_string_append_printf (seen, " %s", challenge->algorithm);
      if (challenge->is_digest && challenge->algo != HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN &&
          challenge->has_qop && challenge->qop == HAIL_SIP_DIGEST_QOP_NONE)
        g_string_append (seen, " with an unknown qop");
    }
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
               "No authentication challenge we can answer%s%s%s (offered: %s)",
               realm != NULL ? " for realm “" : "", realm != NULL ? realm : "",
               realm != NULL ? "”" : "", seen->len > 0 ? seen->str : "nothing");
  return NULL;
}

char *
hail_sip_digest_new_cnonce (GError **error)
{
  guchar bytes[HAIL_SIP_DIGEST_CNONCE_BYTES];
  char hex[2 * HAIL_SIP_DIGEST_CNONCE_BYTES + 1];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* RFC 7616 §5.12: the cnonce must be unpredictable; g_random is not. */
  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                           "The system random number generator failed");
      return NULL;
    }
  for (guint i = 0; i < sizeof bytes; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", bytes[i]);
  return g_strdup (hex);
}

static const char *
algorithm_md_name (HailSipDigestAlgorithm algo)
{
  switch (algo)
    {
    case HAIL_SIP_DIGEST_ALGORITHM_MD5:
      return "MD5";
    case HAIL_SIP_DIGEST_ALGORITHM_SHA256:
      return "SHA256";
    case HAIL_SIP_DIGEST_ALGORITHM_SHA512_256:
      return "SHA512-256";
    case HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN:
    default:
      return NULL;
    }
}

/* Writes H(part ":" part ":" ...) in lower-case hex into @out. The parts go
 * to the hash one by one, so a password is never copied into a joined
 * string that would need wiping. */
static gboolean
hash_parts (const EVP_MD *md,
            const Part   *parts,
            guint         n_parts,
            char          out[HEX_MAX],
            GError      **error)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  guchar digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gboolean ok = ctx != NULL && EVP_DigestInit_ex2 (ctx, md, NULL) == 1;

  for (guint i = 0; ok && i < n_parts; i++)
    {
      if (i > 0)
        ok = EVP_DigestUpdate (ctx, ":", 1) == 1;
      if (ok && parts[i].len > 0)
        ok = EVP_DigestUpdate (ctx, parts[i].data, parts[i].len) == 1;
    }
  ok = ok && EVP_DigestFinal_ex (ctx, digest, &digest_len) == 1;
  EVP_MD_CTX_free (ctx);
  if (!ok)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                   "OpenSSL could not compute a %s digest", EVP_MD_get0_name (md));
      return FALSE;
    }
  for (guint i = 0; i < digest_len; i++)
    g_snprintf (out + 2 * i, 3, "%02x", digest[i]);
  out[2 * digest_len] = '\0';
  OPENSSL_cleanse (digest, sizeof digest);
  return TRUE;
}

static const char *
qop_name (HailSipDigestQop qop)
{
  return qop == HAIL_SIP_DIGEST_QOP_AUTH_INT ? "auth-int" : "auth";
}

static gboolean
check_qop (const HailSipDigestChallenge *challenge,
           HailSipDigestQop              qop,
           GError                      **error)
{
  gboolean ok;

  if (!challenge->has_qop)
    ok = qop == HAIL_SIP_DIGEST_QOP_NONE;
  else
    ok = (qop == HAIL_SIP_DIGEST_QOP_AUTH || qop == HAIL_SIP_DIGEST_QOP_AUTH_INT) &&
         (challenge->qop & qop) != 0;
  if (!ok)
    g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                 "The challenge for realm “%s” does not offer the requested qop",
                 challenge->realm);
  return ok;
}

/* The cnonce goes into the digest with a qop, and with -sess even without
 * one (RFC 2617 §3.2.2.2 needs it for H(A1) either way). */
static gboolean
needs_cnonce (const HailSipDigestChallenge *challenge,
              HailSipDigestQop              qop)
{
  return qop != HAIL_SIP_DIGEST_QOP_NONE || challenge->sess;
}

char *
hail_sip_digest_response (const HailSipDigestChallenge *challenge,
                          const HailSipDigestInput     *input,
                          const char                   *cnonce,
                          GError                      **error)
{
  EVP_MD *md = NULL;
  char ha1[HEX_MAX];
  char ha2[HEX_MAX];
  char hbody[HEX_MAX];
  char response[HEX_MAX];
  char nc[9];
  gboolean ok;

  g_return_val_if_fail (challenge != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->username != NULL, NULL);
  g_return_val_if_fail (input->password != NULL, NULL);
  g_return_val_if_fail (input->method != NULL && input->uri != NULL, NULL);
  g_return_val_if_fail (input->body != NULL || input->body_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!hail_sip_digest_challenge_is_usable (challenge))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                   "Cannot answer a %s challenge%s%s", challenge->scheme,
                   challenge->algorithm != NULL ? " with algorithm " : "",
                   challenge->algorithm != NULL ? challenge->algorithm : "");
      return NULL;
    }
  if (!check_qop (challenge, input->qop, error))
    return NULL;
  g_return_val_if_fail (cnonce != NULL || !needs_cnonce (challenge, input->qop), NULL);

  md = EVP_MD_fetch (NULL, algorithm_md_name (challenge->algo), NULL);
  if (md == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                   "OpenSSL does not provide %s", algorithm_md_name (challenge->algo));
      return NULL;
    }

  /* RFC 7616 §3.4.2: H(A1); with -sess, H(H(A1) ":" nonce ":" cnonce). */
  {
    Part a1[] = { PART_STR (input->username), PART_STR (challenge->realm),
                  PART_STR (input->password) };

    ok = hash_parts (md, a1, G_N_ELEMENTS (a1), ha1, error);
  }
  if (ok && challenge->sess)
    {
      Part a1[] = { PART_STR (ha1), PART_STR (challenge->nonce), PART_STR (cnonce) };

      ok = hash_parts (md, a1, G_N_ELEMENTS (a1), ha1, error);
    }

  /* RFC 7616 §3.4.3: A2 = method ":" uri [ ":" H(entity-body) ]. */
  if (ok && input->qop == HAIL_SIP_DIGEST_QOP_AUTH_INT)
    {
      Part body[] = { { input->body, input->body_len } };

      ok = hash_parts (md, body, 1, hbody, error);
      if (ok)
        {
          Part a2[] = { PART_STR (input->method), PART_STR (input->uri), PART_STR (hbody) };

          ok = hash_parts (md, a2, G_N_ELEMENTS (a2), ha2, error);
        }
    }
  else if (ok)
    {
      Part a2[] = { PART_STR (input->method), PART_STR (input->uri) };

      ok = hash_parts (md, a2, G_N_ELEMENTS (a2), ha2, error);
    }

  /* RFC 7616 §3.4.1 with a qop; RFC 2069 §2.1.2 (RFC 2617 §3.2.2.1) without. */
  g_snprintf (nc, sizeof nc, "%08" G_GINT32_MODIFIER "x", input->nc);
  if (ok && input->qop != HAIL_SIP_DIGEST_QOP_NONE)
    {
      Part kd[] = { PART_STR (ha1), PART_STR (challenge->nonce), PART_STR (nc),
                    PART_STR (cnonce), PART_STR (qop_name (input->qop)), PART_STR (ha2) };

      ok = hash_parts (md, kd, G_N_ELEMENTS (kd), response, error);
    }
  else if (ok)
    {
      Part kd[] = { PART_STR (ha1), PART_STR (challenge->nonce), PART_STR (ha2) };

      ok = hash_parts (md, kd, G_N_ELEMENTS (kd), response, error);
    }

  OPENSSL_cleanse (ha1, sizeof ha1);
  EVP_MD_free (md);
  if (!ok)
    return NULL;
  return g_strdup (response);
}

/* Refuses bytes that would end a header line early or corrupt the log. */
static gboolean
check_printable (const char  *value,
                 const char  *what,
                 GError     **error)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The %s holds a control character", what);
          return FALSE;
        }
    }
  return TRUE;
}

static void
append_quoted (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append_printf (out, ", %s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
hail_sip_digest_authorization (const HailSipDigestChallenge *challenge,
                               const HailSipDigestInput     *input,
                               GError                      **error)
{
  g_autofree char *fresh_cnonce = NULL;
  g_autofree char *response = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GString) out = NULL;
  const char *cnonce = NULL;
  guint32 nc;

  g_return_val_if_fail (challenge != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->username != NULL, NULL);
  g_return_val_if_fail (input->password != NULL, NULL);
  g_return_val_if_fail (input->method != NULL && input->uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_printable (input->username, "user name", error) ||
      !check_printable (input->method, "request method", error) ||
      !check_printable (input->uri, "request URI", error) ||
      (input->cnonce != NULL && !check_printable (input->cnonce, "client nonce", error)))
    return NULL;

  if (hail_sip_digest_challenge_is_usable (challenge) && needs_cnonce (challenge, input->qop))
    {
      if (input->cnonce == NULL)
        fresh_cnonce = hail_sip_digest_new_cnonce (error);
      cnonce = input->cnonce != NULL ? input->cnonce : fresh_cnonce;
      if (cnonce == NULL)
        return NULL;
    }
  /* RFC 7616 §3.4: nc counts from 1. */
  nc = input->nc != 0 ? input->nc : 1;
  {
    HailSipDigestInput counted = *input;

    counted.nc = nc;
    response = hail_sip_digest_response (challenge, &counted, cnonce, error);
  }
  if (response == NULL)
    return NULL;

  /* RFC 7616 §3.4.4: with userhash the name goes out as H(user ":" realm). */
  if (challenge->userhash)
    {
      EVP_MD *md = EVP_MD_fetch (NULL, algorithm_md_name (challenge->algo), NULL);
      char hashed[HEX_MAX];
      Part parts[] = { PART_STR (input->username), PART_STR (challenge->realm) };
      gboolean ok = md != NULL && hash_parts (md, parts, G_N_ELEMENTS (parts), hashed, error);

      EVP_MD_free (md);
      if (!ok)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED,
                                 "OpenSSL could not hash the user name");
          return NULL;
        }
      username = g_strdup (hashed);
    }
  else
    {
      username = g_strdup (input->username);
    }

  out = g_string_new (challenge->scheme);
  append_quoted (out, "username", username);
  /* The first separator is a space, not ", ": fix it up once. */
  g_string_erase (out, strlen (challenge->scheme), 1);
  append_quoted (out, "realm", challenge->realm);
  append_quoted (out, "nonce", challenge->nonce);
  append_quoted (out, "uri", input->uri);
  append_quoted (out, "response", response);
  /* Echo the algorithm as the server spelt it; none when it sent none. */
  if (challenge->algorithm != NULL)
    g_string_append_printf (out, ", algorithm=%s", challenge->algorithm);
  if (cnonce != NULL)
    append_quoted (out, "cnonce", cnonce);
  /* RFC 7616 §3.4: opaque is returned unchanged, even when empty. */
  if (challenge->opaque != NULL)
    append_quoted (out, "opaque", challenge->opaque);
  if (input->qop != HAIL_SIP_DIGEST_QOP_NONE)
    g_string_append_printf (out, ", qop=%s, nc=%08" G_GINT32_MODIFIER "x",
                            qop_name (input->qop), nc);
  if (challenge->userhash)
    g_string_append (out, ", userhash=true");
  OPENSSL_cleanse (response, strlen (response));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
