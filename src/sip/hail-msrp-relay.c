/* hail-msrp-relay.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSRP relays (RFC 4976), the values: what the client sends and what it
 * takes from a relay's answers. A relay's answers come from the network,
 * so every hop is checked with the URI parser's bounds before a session
 * puts it in a path.
 */
#include "config.h"

#include "hail-msrp-relay.h"

#include <string.h>

#include "hail-msrp-builder.h"
#include "hail-msrp-limits.h"
#include "hail-sip-auth.h"
#include "hail-sip-error.h"

HailMsrpUri *
hail_msrp_relay_parse_uri (const char  *uri,
                           GError     **error)
{
  g_autoptr(HailMsrpUri) parsed = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parsed = hail_msrp_uri_parse (uri, -1, &local);
  if (parsed == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "The MSRP relay “%s” is not an MSRP URI: %s", uri, local->message);
      return NULL;
    }
  /* RFC 4976 §5: credentials go to a relay only over TLS. */
  if (!hail_msrp_uri_is_secure (parsed) ||
      g_ascii_strcasecmp (hail_msrp_uri_get_transport (parsed), "tcp") != 0)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The MSRP relay “%s” must be msrps://host:port;tcp (TLS)", uri);
      return NULL;
    }
  return g_steal_pointer (&parsed);
}

static GPtrArray *
path_of (HailMsrpUri *uri)
{
  GPtrArray *path = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);

  g_ptr_array_add (path, hail_msrp_uri_ref (uri));
  return path;
}

GBytes *
hail_msrp_relay_build_auth (HailMsrpUri  *relay,
                            HailMsrpUri  *local,
                            GPtrArray    *authorization,
                            guint         expires,
                            char        **transaction_id)
{
  HailMsrpBuilder *b = hail_msrp_builder_new_request (NULL, "AUTH");
  g_autoptr(GPtrArray) to = NULL;
  g_autoptr(GPtrArray) from = NULL;

  g_return_val_if_fail (relay != NULL, NULL);
  g_return_val_if_fail (local != NULL, NULL);

  to = path_of (relay);
  from = path_of (local);
  hail_msrp_builder_set_to_path (b, to);
  hail_msrp_builder_set_from_path (b, from);
  for (guint i = 0; authorization != NULL && i < authorization->len; i++)
    {
      HailSipAuthHeader *h = authorization->pdata[i];

      hail_msrp_builder_add_header (b, "Authorization", h->value);
    }
  if (expires > 0)
    {
      char value[16];

      g_snprintf (value, sizeof value, "%u", expires);
      hail_msrp_builder_add_header (b, "Expires", value);
    }
  if (transaction_id != NULL)
    *transaction_id = g_strdup (hail_msrp_builder_get_transaction_id (b));
  /* Without a body the builder cannot fail. */
  return hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
}

char **
hail_msrp_relay_dup_challenges (const HailMsrpMessage  *response,
                                GError                **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < hail_msrp_message_get_n_headers (response); i++)
    {
      HailSipSpan name, value;

      hail_msrp_message_get_header (response, i, &name, &value);
      if (!hail_sip_span_equal_ascii_case (name, "WWW-Authenticate"))
        continue;
      if (values->len == HAIL_MSRP_RELAY_MAX_CHALLENGES)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "The MSRP relay sent more than %d WWW-Authenticate header fields",
                       HAIL_MSRP_RELAY_MAX_CHALLENGES);
          return NULL;
        }
      g_ptr_array_add (values, hail_sip_span_dup (value));
    }
  if (values->len == 0)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The MSRP relay answered 401 without WWW-Authenticate");
      return NULL;
    }
  g_ptr_array_add (values, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

/* A hop a session may send through: over TCP, and naming a session (a
 * relay's session-id is how it finds the client's connection). */
static gboolean
check_hop (HailMsrpUri  *hop,
           const char   *what,
           GError      **error)
{
  if (g_ascii_strcasecmp (hail_msrp_uri_get_transport (hop), "tcp") != 0 ||
      hail_msrp_uri_get_session_id (hop) == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "%s hop %s has no session-id or is not over TCP", what,
                   hail_msrp_uri_to_string (hop));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
hail_msrp_relay_read_grant (const HailMsrpMessage  *response,
                            guint                  *expires,
                            GError                **error)
{
  GPtrArray *use_path;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (expires != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The parser checked each URI and bounded their number. */
  use_path = hail_msrp_message_get_use_path (response);
  if (use_path == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The MSRP relay's 200 to AUTH has no Use-Path");
      return NULL;
    }
  for (guint i = 0; i < use_path->len; i++)
    if (!check_hop (use_path->pdata[i], "The MSRP relay's Use-Path", error))
      return NULL;
  if (!hail_msrp_uri_is_secure (use_path->pdata[0]))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The MSRP relay's Use-Path starts with %s, not msrps (TLS)",
                   hail_msrp_uri_to_string (use_path->pdata[0]));
      return NULL;
    }
  if (!hail_msrp_message_get_expires (response, expires) || *expires == 0)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The MSRP relay's 200 to AUTH has no Expires");
      return NULL;
    }
  return hail_msrp_path_concat (use_path, NULL);
}

GPtrArray *
hail_msrp_path_parse (const char * const  *path,
                      GError             **error)
{
  g_autoptr(GPtrArray) uris = NULL;
  gsize n = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while (path[n] != NULL)
    n++;
  if (n == 0 || n > HAIL_MSRP_MAX_PATH_URIS)
    {
      g_set_error (error, HAIL_SIP_ERROR, n == 0 ? HAIL_SIP_ERROR_MALFORMED
                                                 : HAIL_SIP_ERROR_TOO_LARGE,
                   "An MSRP path has 1 to %d URIs, not %" G_GSIZE_FORMAT,
                   HAIL_MSRP_MAX_PATH_URIS, n);
      return NULL;
    }
  uris = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  for (gsize i = 0; i < n; i++)
    {
      HailMsrpUri *uri = hail_msrp_uri_parse (path[i], -1, error);

      if (uri == NULL)
        {
          g_prefix_error (error, "The peer's MSRP path: ");
          return NULL;
        }
      g_ptr_array_add (uris, uri);
      /* Relays are hops like the peer, except that only the peer (the
       * last one) must name its session. */
      if (g_ascii_strcasecmp (hail_msrp_uri_get_transport (uri), "tcp") != 0 ||
          (i == n - 1 && hail_msrp_uri_get_session_id (uri) == NULL))
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                       "The peer's MSRP path hop %s has no session-id or is not over TCP",
                       hail_msrp_uri_to_string (uri));
          return NULL;
        }
    }
  return g_steal_pointer (&uris);
}

GPtrArray *
hail_msrp_path_concat (GPtrArray *first,
                       GPtrArray *second)
{
  GPtrArray *path = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);

  for (guint i = 0; first != NULL && i < first->len; i++)
    g_ptr_array_add (path, hail_msrp_uri_ref (first->pdata[i]));
  for (guint i = 0; second != NULL && i < second->len; i++)
    g_ptr_array_add (path, hail_msrp_uri_ref (second->pdata[i]));
  return path;
}

char *
hail_msrp_path_to_string (GPtrArray *path)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < path->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, hail_msrp_uri_to_string (path->pdata[i]));
    }
  return g_string_free (out, FALSE);
}
