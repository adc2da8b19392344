/* hail-msrp-sdp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-msrp-sdp.h"

#include "hail-msrp-relay.h"

#include "hail-msrp-uri.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-identity.h"

#include <string.h>

void
hail_msrp_sdp_media_free (HailMsrpSdpMedia *media)
{
  if (media == NULL)
    return;
  g_strfreev (media->path);
  g_strfreev (media->accept_types);
  g_clear_pointer (&media->file, hail_sdp_file_selector_free);
  g_free (media->file_transfer_id);
  g_free (media->fingerprint);
  g_free (media);
}

static gboolean
is_msrp_proto (const char *proto,
               gboolean   *secure)
{
  if (g_ascii_strcasecmp (proto, "TCP/MSRP") == 0)
    *secure = FALSE;
  else if (g_ascii_strcasecmp (proto, "TCP/TLS/MSRP") == 0)
    *secure = TRUE;
  else
    return FALSE;
  return TRUE;
}

/* Whether a text can reach the peer: it takes text/plain, CPIM or "*". */
static gboolean
takes_text (const char * const *types)
{
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    if (g_ascii_strcasecmp (types[i], "text/plain") == 0
        || g_ascii_strcasecmp (types[i], "message/cpim") == 0
        || strcmp (types[i], "*") == 0)
      return TRUE;
  return FALSE;
}

gboolean
hail_msrp_sdp_is_message_session (GBytes *sdp)
{
  g_autoptr(HailSdpSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gboolean message = FALSE;

  if (sdp == NULL)
    return FALSE;
  session = hail_sdp_session_parse_bytes (sdp, &error);
  if (session == NULL)
    return FALSE;
  for (guint i = 0; i < hail_sdp_session_get_n_media (session); i++)
    {
      const HailSdpMedia *media = hail_sdp_session_get_media (session, i);

      if (media->port == 0)
        continue;
      if (g_ascii_strcasecmp (media->media, "message") != 0)
        return FALSE;
      message = TRUE;
    }
  return message;
}

/* RFC 8122 §5: the a=fingerprint lines of the m= section, else those of
 * the session; of several, the one with the strongest hash. Lines that
 * are there but all unusable fail, rather than leave the certificate
 * unchecked against what the peer meant to pin. */
static gboolean
read_fingerprint (const HailSdpSession  *session,
                  const HailSdpMedia    *media,
                  char                 **fingerprint,
                  GError               **error)
{
  const GPtrArray *levels[] = { media->attributes, hail_sdp_session_get_attributes (session) };
  g_autoptr(GError) first = NULL;
  gsize best = 0;

  for (guint level = 0; level < G_N_ELEMENTS (levels) && best == 0 && first == NULL; level++)
    for (guint i = 0; levels[level] != NULL && i < levels[level]->len; i++)
      {
        const HailSdpAttribute *attribute = g_ptr_array_index (levels[level], i);
        g_autoptr(GError) local = NULL;
        gsize strength;

        if (g_ascii_strcasecmp (attribute->name, "fingerprint") != 0)
          continue;
        strength = hail_sip_tls_fingerprint_check (attribute->value != NULL ? attribute->value
                                                                            : "", &local);
        if (strength == 0 && first == NULL)
          first = g_steal_pointer (&local);
        if (strength > best)
          {
            best = strength;
            g_free (*fingerprint);
            *fingerprint = g_strdup (attribute->value);
          }
      }
  if (best == 0 && first != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&first),
                                  "The peer's certificate fingerprint: ");
      return FALSE;
    }
  return TRUE;
}

static HailMsrpSdpMedia *
read_media (const HailSdpSession  *session,
            const HailSdpMedia    *media,
            GError               **error)
{
  g_autoptr(HailMsrpSdpMedia) out = g_new0 (HailMsrpSdpMedia, 1);
  g_autoptr(GPtrArray) hops = NULL;
  const char *max_size;

  out->file_range_start = 1;
  if (!is_msrp_proto (media->proto, &out->secure))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The m=message section uses “%s”, not TCP/MSRP or TCP/TLS/MSRP",
                   media->proto);
      return NULL;
    }
  out->path = hail_sdp_media_dup_msrp_path (media);
  if (out->path == NULL || out->path[0] == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The m=message section has no a=path");
      return NULL;
    }
  /* RFC 4976 §6: the peer's relays, then the peer; each hop checked and
   * their number bounded. */
  hops = hail_msrp_path_parse ((const char * const *) out->path, error);
  if (hops == NULL)
    {
      g_prefix_error (error, "The MSRP path is invalid: ");
      return NULL;
    }
  /* RFC 4975 §14.4: a TLS peer without a CA certificate names its own. */
  if (out->secure && !read_fingerprint (session, media, &out->fingerprint, error))
    return NULL;
  out->accept_types = hail_sdp_media_dup_accept_types (media);
  if (hail_sdp_media_has_attribute (media, "file-selector"))
    {
      out->file = hail_sdp_media_dup_file_selector (media);
      if (out->file == NULL)
        {
          g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "The a=file-selector is malformed");
          return NULL;
        }
      out->file_transfer_id = g_strdup (hail_sdp_media_get_attribute (media, "file-transfer-id"));
      {
        guint64 start;
        gint64 stop;

        /* A range past the file is not a resumption we could follow. */
        if (hail_sdp_media_get_file_range (media, &start, &stop)
            && (out->file->size < 0 || start <= (guint64) out->file->size))
          out->file_range_start = start;
      }
    }
  else if (!takes_text ((const char * const *) out->accept_types))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The peer's message session takes neither text/plain nor "
                           "message/cpim");
      return NULL;
    }
  out->has_setup = hail_sdp_media_get_setup (media, &out->setup);
  if (!out->has_setup)
    out->setup = HAIL_SDP_SETUP_ACTIVE;   /* RFC 6135 §4.1: RFC 4975's offerer connects. */
  max_size = hail_sdp_media_get_attribute (media, "max-size");
  if (max_size != NULL && !hail_sdp_media_get_max_size (media, &out->max_size))
    out->max_size = 0;
  if (hail_sdp_media_has_attribute (media, "sendonly"))
    out->direction = HAIL_MSRP_SDP_SENDONLY;
  else if (hail_sdp_media_has_attribute (media, "recvonly"))
    out->direction = HAIL_MSRP_SDP_RECVONLY;
  else
    out->direction = HAIL_MSRP_SDP_SENDRECV;
  return g_steal_pointer (&out);
}

HailMsrpSdpMedia *
hail_msrp_sdp_read (GBytes  *sdp,
                    GError **error)
{
  g_autoptr(HailSdpSession) session = NULL;
  g_autoptr(GError) first = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sdp == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                           "The peer sent no SDP for the message session");
      return NULL;
    }
  session = hail_sdp_session_parse_bytes (sdp, error);
  if (session == NULL)
    return NULL;
  for (guint i = 0; i < hail_sdp_session_get_n_media (session); i++)
    {
      const HailSdpMedia *media = hail_sdp_session_get_media (session, i);
      g_autoptr(GError) local = NULL;
      HailMsrpSdpMedia *out;

      if (g_ascii_strcasecmp (media->media, "message") != 0 || media->port == 0)
        continue;
      out = read_media (session, media, &local);
      if (out != NULL)
        return out;
      if (first == NULL)
        first = g_steal_pointer (&local);
    }
  if (first != NULL)
    g_propagate_error (error, g_steal_pointer (&first));
  else
    g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                         "The SDP has no message stream (m=message)");
  return NULL;
}

GBytes *
hail_msrp_sdp_write (const char                *local_path,
                     HailSdpSetup               setup,
                     HailMsrpSdpDirection       direction,
                     guint64                    max_size,
                     const HailSdpFileSelector *file,
                     const char                *file_transfer_id,
                     GError                   **error)
{
  return hail_msrp_sdp_write_full (local_path, setup, direction, max_size, file,
                                   file_transfer_id, NULL, 0, error);
}

GBytes *
hail_msrp_sdp_write_full (const char                *local_path,
                          HailSdpSetup               setup,
                          HailMsrpSdpDirection       direction,
                          guint64                    max_size,
                          const HailSdpFileSelector *file,
                          const char                *file_transfer_id,
                          const char                *fingerprint,
                          guint64                    range_start,
                          GError                   **error)
{
  g_autoptr(GPtrArray) hops = NULL;
  g_auto(GStrv) path = NULL;
  HailMsrpUri *uri;
  HailMsrpUri *own;
  g_autoptr(HailSdpSession) sdp = NULL;
  const char *accept[] = { "message/cpim", "text/plain", NULL };
  const char *any[] = { "*", NULL };
  const char *wrapped[] = { "text/plain", NULL };
  HailSdpMedia *media;
  guint port;

  g_return_val_if_fail (local_path != NULL, NULL);

  /* Through a relay (RFC 4976 §6) our path is its Use-Path then our URI:
   * c= and m= name the first hop, where the peer's frames go, and the
   * proto our own URI's transport. */
  path = g_strsplit (local_path, " ", -1);
  hops = hail_msrp_path_parse ((const char * const *) path, error);
  if (hops == NULL)
    return NULL;
  uri = hops->pdata[0];
  own = hops->pdata[hops->len - 1];
  port = hail_msrp_uri_get_port (uri);
  if (port == 0 || port > G_MAXUINT16)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "The MSRP path “%s” has no port", local_path);
      return NULL;
    }
  /* RFC 8866 §5.2: a session id from the clock, as RFC 3264 suggests. */
  sdp = hail_sdp_session_new ("-", (guint64) g_get_real_time (), 1,
                              hail_msrp_uri_get_host (uri));
  hail_sdp_session_set_connection (sdp, hail_msrp_uri_get_host (uri));
  media = hail_sdp_session_add_media (sdp, "message", (guint16) port,
                                      hail_msrp_uri_is_secure (own) ? "TCP/TLS/MSRP" : "TCP/MSRP");
  hail_sdp_media_add_format (media, "*");
  /* A file receiver takes what the selector says; RFC 5547 §8 lets the
   * sender list the file's type, "*" keeps any. */
  hail_sdp_media_set_accept_types (media, file != NULL ? any : accept);
  if (file == NULL)
    hail_sdp_media_set_accept_wrapped_types (media, wrapped);
  hail_sdp_media_set_msrp_path (media, (const char * const *) path);
  hail_sdp_media_set_setup (media, setup);
  if (fingerprint != NULL)
    hail_sdp_media_add_attribute (media, "fingerprint", fingerprint);
  if (max_size > 0)
    hail_sdp_media_set_max_size (media, max_size);
  if (direction == HAIL_MSRP_SDP_SENDONLY)
    hail_sdp_media_add_attribute (media, "sendonly", NULL);
  else if (direction == HAIL_MSRP_SDP_RECVONLY)
    hail_sdp_media_add_attribute (media, "recvonly", NULL);
  if (file != NULL)
    {
      hail_sdp_media_set_file_selector (media, file);
      if (file_transfer_id != NULL)
        hail_sdp_media_set_file_transfer_id (media, file_transfer_id);
      if (range_start > 1 && file->size > 0 && range_start <= (guint64) file->size)
        hail_sdp_media_set_file_range (media, range_start, file->size);
    }
  return hail_sdp_session_to_bytes (sdp);
}
