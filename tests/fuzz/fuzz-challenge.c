/* fuzz-challenge.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the input as a WWW-Authenticate value, answers every challenge in
 * it (both qops), hands its lines to HailSipAuth as the Proxy-Authenticate
 * values of two 407s in a row, reads it as an Authorization value, and
 * redacts it as an Authorization header and as a whole message.
 */
#include "config.h"

#include "hail-sip-auth.h"
#include "hail-sip-digest.h"
#include "hail-sip-log.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
answer_all (GPtrArray *challenges)
{
  static const guint8 body[] = "v=0\r\n";

  for (guint i = 0; i < challenges->len; i++)
    {
      const HailSipDigestChallenge *challenge = g_ptr_array_index (challenges, i);

      for (int want_integrity = 0; want_integrity <= 1; want_integrity++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *value = NULL;
          HailSipDigestInput input = {
            .username = "alice",
            .password = "alice-secret",
            .method = "REGISTER",
            .uri = "sip:example.test",
            .body = body,
            .body_len = sizeof body - 1,
            .qop = hail_sip_digest_challenge_choose_qop (challenge, want_integrity),
            .nc = 1,
            /* Fixed, so runs are reproducible and RAND_bytes is not the bottleneck. */
            .cnonce = "0a4f113b",
          };

          value = hail_sip_digest_authorization (challenge, &input, &error);
          g_assert ((value == NULL) == (error != NULL));
          g_assert (value == NULL || hail_sip_digest_challenge_is_usable (challenge));
          if (value != NULL)
            {
              g_autoptr(HailSipDigestCredentials) back =
                hail_sip_digest_parse_credentials (value, strlen (value), NULL);

              /* Whatever we write, we must read back. */
              g_assert (back != NULL);
              g_assert_cmpstr (back->nonce, ==, challenge->nonce);
            }
        }
    }
  {
    g_autoptr(GError) error = NULL;
    const HailSipDigestChallenge *best = hail_sip_digest_choose (challenges, NULL, &error);

    g_assert ((best == NULL) == (error != NULL));
  }
}

/* Each line of @text is one header value; at most a few, as a parser would
 * cap a message's headers. */
static void
respond_twice (const char *text,
               size_t      size)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, "alice-secret");
  g_autofree char *copy = g_strndup (text, size);
  g_auto(GStrv) values = g_strsplit (copy, "\n", 5);
  HailSipAuthRequest request = { .method = "INVITE", .uri = "sip:bob@example.test" };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) pre = NULL;
  g_autoptr(GError) error = NULL;

  first = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_PROXY, (const char * const *) values,
                                 &request, &error);
  g_assert ((first == NULL) == (error != NULL));
  if (first == NULL)
    return;
  /* The same challenges again to the answered request: refused, unless stale. */
  request.sent = first;
  second = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_PROXY, (const char * const *) values,
                                  &request, &error);
  g_assert ((second == NULL) == (error != NULL));
  g_clear_error (&error);
  request.sent = NULL;
  pre = hail_sip_auth_authorize (auth, &request, &error);
  g_assert_no_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) challenges = NULL;
  g_autoptr(HailSipDigestCredentials) credentials = NULL;
  g_autofree char *redacted = NULL;

  challenges = hail_sip_digest_parse_challenges (text, size, &error);
  g_assert ((challenges == NULL) == (error != NULL));
  if (challenges != NULL)
    answer_all (challenges);
  g_clear_error (&error);

  respond_twice (text, size);

  credentials = hail_sip_digest_parse_credentials (text, size, &error);
  g_assert ((credentials == NULL) == (error != NULL));

  redacted = hail_sip_log_redact (text, size);
  g_assert (redacted != NULL);
  /* Nothing a terminal would act on survives: only TAB and line ends. */
  for (const char *p = redacted; *p != '\0'; p++)
    g_assert ((guchar) *p >= 0x20 || *p == '\t' || *p == '\n' || (*p == '\r' && p[1] == '\n'));
  if (size < 16384)
    {
      g_autofree char *header = g_strdup_printf ("Authorization: %.*s\r\n\r\n", (int) size, text);
      g_autofree char *redacted_header = hail_sip_log_redact (header, strlen (header));

      g_assert (redacted_header != NULL);
    }
  return 0;
}
