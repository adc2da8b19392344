/* hail-sdp-attributes.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-attributes.h"
#include "hail-sdp-crypto.h"
#include "hail-sdp-msrp.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <string.h>

/* RFC 3551 §6: static payload types a peer may use without a=rtpmap. */
static const struct {
  guint8      pt;
  const char *encoding;
  guint       clock_rate;
} static_payload_types[] = {
  { 0, "PCMU", 8000 },
  { 3, "GSM", 8000 },
  { 4, "G723", 8000 },
  { 8, "PCMA", 8000 },
  { 9, "G722", 8000 },   /* RFC 3551 §4.5.2: 8000 although it samples at 16 kHz. */
  { 18, "G729", 8000 },
};

static gboolean
parse_whole_number (const char *s,
                    guint64     max,
                    guint64    *out)
{
  return s != NULL && _hail_sdp_parse_uint (s, strlen (s), max, out);
}

const char *
hail_sdp_direction_to_string (HailSdpDirection direction)
{
  switch (direction)
    {
    case HAIL_SDP_DIRECTION_INACTIVE:
      return "inactive";
    case HAIL_SDP_DIRECTION_SENDONLY:
      return "sendonly";
    case HAIL_SDP_DIRECTION_RECVONLY:
      return "recvonly";
    case HAIL_SDP_DIRECTION_SENDRECV:
      return "sendrecv";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
hail_sdp_direction_from_string (const char       *name,
                                HailSdpDirection *direction)
{
  static const HailSdpDirection all[] = {
    HAIL_SDP_DIRECTION_INACTIVE, HAIL_SDP_DIRECTION_SENDONLY,
    HAIL_SDP_DIRECTION_RECVONLY, HAIL_SDP_DIRECTION_SENDRECV,
  };

  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (name, hail_sdp_direction_to_string (all[i])))
      {
        if (direction != NULL)
          *direction = all[i];
        return TRUE;
      }
  return FALSE;
}

/* The direction as the other side sees it (RFC 3264 §6.1). */
HailSdpDirection
hail_sdp_direction_reverse (HailSdpDirection direction)
{
  return ((direction & HAIL_SDP_DIRECTION_SENDONLY) ? HAIL_SDP_DIRECTION_RECVONLY : 0)
         | ((direction & HAIL_SDP_DIRECTION_RECVONLY) ? HAIL_SDP_DIRECTION_SENDONLY : 0);
}

static gboolean
find_direction (const GPtrArray  *attributes,
                HailSdpDirection *direction)
{
  for (guint i = 0; i < attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (attributes, i);

      if (hail_sdp_direction_from_string (attr->name, direction))
        return TRUE;
    }
  return FALSE;
}

/**
 * hail_sdp_media_get_direction:
 * @session: (nullable): the session @media belongs to, for its default
 *
 * RFC 8866 §6.7: a media-level direction wins over the session-level one,
 * and sendrecv is the default.
 */
HailSdpDirection
hail_sdp_media_get_direction (const HailSdpSession *session,
                              const HailSdpMedia   *media)
{
  HailSdpDirection direction = HAIL_SDP_DIRECTION_SENDRECV;

  g_return_val_if_fail (media != NULL, HAIL_SDP_DIRECTION_SENDRECV);

  if (find_direction (media->attributes, &direction))
    return direction;
  if (session != NULL)
    find_direction (hail_sdp_session_get_attributes (session), &direction);
  return direction;
}

void
hail_sdp_media_set_direction (HailSdpMedia     *media,
                              HailSdpDirection  direction)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail ((direction & ~HAIL_SDP_DIRECTION_SENDRECV) == 0);

  for (guint i = media->attributes->len; i > 0; i--)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (media->attributes, i - 1);

      if (hail_sdp_direction_from_string (attr->name, NULL))
        g_ptr_array_remove_index (media->attributes, i - 1);
    }
  hail_sdp_media_add_attribute (media, hail_sdp_direction_to_string (direction), NULL);
}

void
hail_sdp_rtpmap_free (HailSdpRtpmap *rtpmap)
{
  if (rtpmap == NULL)
    return;
  g_free (rtpmap->encoding);
  g_free (rtpmap);
}

/**
 * hail_sdp_rtpmap_parse:
 * @value: what follows "a=rtpmap:"
 *
 * Returns: (transfer full): the mapping, or NULL with HAIL_SIP_ERROR_MALFORMED
 */
HailSdpRtpmap *
hail_sdp_rtpmap_parse (const char  *value,
                       GError     **error)
{
  g_autoptr(HailSdpRtpmap) rtpmap = NULL;
  const char *p = value;
  const char *enc;
  guint64 pt, rate, channels = 1;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (value == NULL || !_hail_sdp_read_uint (&p, 127, &pt) || *p != ' ')
    {
      _hail_sdp_malformed (error, "expected <payload type> <encoding>/<clock rate>");
      return NULL;
    }
  while (*p == ' ')
    p++;
  enc = p;
  while (*p != '\0' && *p != '/' && *p != ' ')
    p++;
  if (p == enc || *p != '/')
    {
      _hail_sdp_malformed (error, "expected <encoding>/<clock rate>");
      return NULL;
    }
  rtpmap = g_new0 (HailSdpRtpmap, 1);
  rtpmap->encoding = g_strndup (enc, (gsize) (p - enc));
  p++;
  if (!_hail_sdp_read_uint (&p, G_MAXUINT32, &rate) || rate == 0)
    {
      _hail_sdp_malformed (error, "clock rate is not a positive number");
      return NULL;
    }
  /* RFC 8866 §6.6: for audio the optional parameter is the channel count. */
  if (*p == '/')
    {
      p++;
      if (!_hail_sdp_read_uint (&p, 255, &channels) || channels == 0)
        {
          _hail_sdp_malformed (error, "channel count is not in 1..255");
          return NULL;
        }
    }
  if (*p != '\0')
    {
      _hail_sdp_malformed (error, "trailing characters");
      return NULL;
    }
  rtpmap->payload_type = (guint8) pt;
  rtpmap->clock_rate = (guint) rate;
  rtpmap->channels = (guint) channels;
  return g_steal_pointer (&rtpmap);
}

/**
 * hail_sdp_media_dup_rtpmap:
 *
 * The a=rtpmap for @payload_type, or the RFC 3551 static assignment when
 * the section has none.
 *
 * Returns: (transfer full) (nullable): the mapping, NULL when unknown
 */
HailSdpRtpmap *
hail_sdp_media_dup_rtpmap (const HailSdpMedia *media,
                           guint8              payload_type)
{
  HailSdpRtpmap *rtpmap;

  g_return_val_if_fail (media != NULL, NULL);

  for (guint i = 0; i < media->attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (media->attributes, i);

      if (!g_str_equal (attr->name, "rtpmap") || attr->value == NULL)
        continue;
      rtpmap = hail_sdp_rtpmap_parse (attr->value, NULL);
      if (rtpmap != NULL && rtpmap->payload_type == payload_type)
        return rtpmap;
      hail_sdp_rtpmap_free (rtpmap);
    }
  for (guint i = 0; i < G_N_ELEMENTS (static_payload_types); i++)
    if (static_payload_types[i].pt == payload_type)
      {
        rtpmap = g_new0 (HailSdpRtpmap, 1);
        rtpmap->payload_type = payload_type;
        rtpmap->encoding = g_strdup (static_payload_types[i].encoding);
        rtpmap->clock_rate = static_payload_types[i].clock_rate;
        rtpmap->channels = 1;
        return rtpmap;
      }
  return NULL;
}

void
hail_sdp_media_add_rtpmap (HailSdpMedia *media,
                           guint8        payload_type,
                           const char   *encoding,
                           guint         clock_rate,
                           guint         channels)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (payload_type <= 127);
  g_return_if_fail (encoding != NULL);

  /* RFC 7587 §7: opus always says /2; others omit a single channel. */
  if (channels > 1)
    hail_sdp_media_add_attribute_printf (media, "rtpmap", "%u %s/%u/%u",
                                         payload_type, encoding, clock_rate, channels);
  else
    hail_sdp_media_add_attribute_printf (media, "rtpmap", "%u %s/%u",
                                         payload_type, encoding, clock_rate);
}

/* "<format> <params>": the params, or NULL if @value is for another
 * format. A bare "<format>" (sent by some stacks) has empty params. */
static const char *
fmtp_params (const char *value,
             const char *format)
{
  gsize flen = strlen (format);

  if (value == NULL || strncmp (value, format, flen) != 0
      || (value[flen] != ' ' && value[flen] != '\0'))
    return NULL;
  value += flen;
  while (*value == ' ')
    value++;
  return value;
}

/**
 * hail_sdp_media_get_fmtp:
 *
 * Returns: (nullable): the parameter string of "a=fmtp:<format> <params>",
 * owned by @media
 */
const char *
hail_sdp_media_get_fmtp (const HailSdpMedia *media,
                         const char         *format)
{
  g_return_val_if_fail (media != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  for (guint i = 0; i < media->attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (media->attributes, i);
      const char *params;

      if (g_str_equal (attr->name, "fmtp") && (params = fmtp_params (attr->value, format)))
        return params;
    }
  return NULL;
}

/**
 * hail_sdp_fmtp_lookup:
 *
 * Finds @key (case-insensitive) in "key=value;key=value" (RFC 8866 §6.15
 * leaves the syntax to each format; this is the common one).
 *
 * Returns: (transfer full) (nullable): the value, "" for a bare key
 */
char *
hail_sdp_fmtp_lookup (const char *params,
                      const char *key)
{
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  pairs = g_strsplit (params, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *eq = strchr (pair, '=');

      if (eq != NULL)
        *eq = '\0';
      if (g_ascii_strcasecmp (g_strstrip (pair), key) == 0)
        return g_strdup (eq != NULL ? g_strstrip (eq + 1) : "");
    }
  return NULL;
}

void
hail_sdp_media_add_fmtp (HailSdpMedia *media,
                         const char   *format,
                         const char   *params)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (format != NULL);
  g_return_if_fail (params != NULL);

  hail_sdp_media_add_attribute_printf (media, "fmtp", "%s %s", format, params);
}

/* ptime and maxptime are milliseconds; RFC 8866 §6.4 allows a fraction,
 * which a millisecond clock drops. */
static gboolean
parse_ptime (const char *value,
             guint      *out)
{
  const char *p = value;
  guint64 ms;

  if (value == NULL || !_hail_sdp_read_uint (&p, 60000, &ms) || ms == 0)
    return FALSE;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;
  *out = (guint) ms;
  return TRUE;
}

static guint
get_ptime_attribute (const HailSdpMedia *media,
                     const char         *name)
{
  guint ms = 0;

  if (!parse_ptime (hail_sdp_media_get_attribute (media, name), &ms))
    return 0;
  return ms;
}

/* Returns: a=ptime in milliseconds, 0 when absent. */
guint
hail_sdp_media_get_ptime (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, 0);
  return get_ptime_attribute (media, "ptime");
}

/* Returns: a=maxptime in milliseconds, 0 when absent. */
guint
hail_sdp_media_get_maxptime (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, 0);
  return get_ptime_attribute (media, "maxptime");
}

void
hail_sdp_media_set_ptime (HailSdpMedia *media,
                          guint         ptime)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (ptime > 0);

  hail_sdp_media_remove_attributes (media, "ptime");
  hail_sdp_media_add_attribute_printf (media, "ptime", "%u", ptime);
}

void
hail_sdp_rtcp_free (HailSdpRtcp *rtcp)
{
  if (rtcp == NULL)
    return;
  g_free (rtcp->nettype);
  g_free (rtcp->addrtype);
  g_free (rtcp->address);
  g_free (rtcp);
}

HailSdpRtcp *
hail_sdp_rtcp_parse (const char  *value,
                     GError     **error)
{
  g_autoptr(HailSdpRtcp) rtcp = NULL;
  g_auto(GStrv) f = NULL;
  const char *p = value;
  guint64 port;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (value == NULL || !_hail_sdp_read_uint (&p, G_MAXUINT16, &port) || (*p != '\0' && *p != ' '))
    {
      _hail_sdp_malformed (error, "expected <port> [<nettype> <addrtype> <address>]");
      return NULL;
    }
  rtcp = g_new0 (HailSdpRtcp, 1);
  rtcp->port = (guint16) port;
  if (*p == '\0')
    return g_steal_pointer (&rtcp);
  f = g_strsplit (p + 1, " ", 4);
  if (g_strv_length (f) != 3 || *f[0] == '\0' || *f[1] == '\0' || *f[2] == '\0')
    {
      _hail_sdp_malformed (error, "expected <nettype> <addrtype> <address> after the port");
      return NULL;
    }
  rtcp->nettype = g_strdup (f[0]);
  rtcp->addrtype = g_strdup (f[1]);
  rtcp->address = g_strdup (f[2]);
  return g_steal_pointer (&rtcp);
}

/* Returns: (transfer full) (nullable): a=rtcp, NULL when absent. */
HailSdpRtcp *
hail_sdp_media_dup_rtcp (const HailSdpMedia *media)
{
  const char *value;

  g_return_val_if_fail (media != NULL, NULL);

  value = hail_sdp_media_get_attribute (media, "rtcp");
  return value != NULL ? hail_sdp_rtcp_parse (value, NULL) : NULL;
}

gboolean
hail_sdp_media_get_rtcp_mux (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, FALSE);
  return hail_sdp_media_has_attribute (media, "rtcp-mux");
}

gboolean
_hail_sdp_attribute_validate (const char  *name,
                              const char  *value,
                              GError     **error)
{
  static const char * const flags[] = {
    "sendrecv", "sendonly", "recvonly", "inactive", "rtcp-mux",
  };
  static const char * const numbers[] = { "max-size" };
  static const char * const strings[] = { "file-transfer-id", "file-disposition" };
  guint64 n;
  guint ms;

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_str_equal (name, flags[i]))
      return value == NULL || _hail_sdp_malformed (error, "takes no value");
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    if (g_str_equal (name, numbers[i]))
      return parse_whole_number (value, G_MAXUINT64, &n)
             || _hail_sdp_malformed (error, "not a number");
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (g_str_equal (name, strings[i]))
      return (value != NULL && *value != '\0') || _hail_sdp_malformed (error, "empty value");

  if (g_str_equal (name, "rtpmap"))
    {
      g_autoptr(HailSdpRtpmap) rtpmap = hail_sdp_rtpmap_parse (value, error);
      return rtpmap != NULL;
    }
  if (g_str_equal (name, "fmtp"))
    return (value != NULL && *value != '\0' && *value != ' ')
           || _hail_sdp_malformed (error, "expected <format> <params>");
  if (g_str_equal (name, "ptime") || g_str_equal (name, "maxptime"))
    return parse_ptime (value, &ms) || _hail_sdp_malformed (error, "not a time in milliseconds");
  if (g_str_equal (name, "rtcp"))
    {
      g_autoptr(HailSdpRtcp) rtcp = hail_sdp_rtcp_parse (value, error);
      return rtcp != NULL;
    }
  if (g_str_equal (name, "crypto"))
    {
      g_autoptr(HailSdpCrypto) crypto = hail_sdp_crypto_parse (value, error);
      return crypto != NULL;
    }
  return _hail_sdp_msrp_validate (name, value, error);
}
