/* hail-sdp-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the SDP files of src/sip share: the session struct (parsed in
 * hail-sdp-parse.c, built and written in hail-sdp-session.c).
 */
#pragma once

#include "hail-sdp-session.h"

G_BEGIN_DECLS

struct _HailSdpSession
{
  HailSdpOrigin      origin;
  char              *name;
  char              *info;
  char              *uri;
  GPtrArray         *emails;       /* of char * */
  GPtrArray         *phones;       /* of char * */
  HailSdpConnection *connection;   /* NULL when absent */
  GPtrArray         *bandwidths;   /* of HailSdpBandwidth * */
  GPtrArray         *times;        /* of HailSdpTime * */
  char              *zone;         /* z= or NULL, verbatim */
  char              *key;          /* k= or NULL, verbatim */
  GPtrArray         *attributes;   /* of HailSdpAttribute * */
  GPtrArray         *media;        /* of HailSdpMedia * */
};

HailSdpSession    *_hail_sdp_session_alloc    (void);
HailSdpMedia      *_hail_sdp_media_new        (void);
HailSdpTime       *_hail_sdp_time_new         (guint64 start,
                                               guint64 stop);
void               _hail_sdp_connection_free  (HailSdpConnection *conn);
HailSdpBandwidth  *_hail_sdp_bandwidth_new    (const char *type,
                                               guint64     value);
void               _hail_sdp_bandwidth_free   (HailSdpBandwidth *bw);
void               _hail_sdp_attribute_free   (HailSdpAttribute *attr);
HailSdpAttribute  *_hail_sdp_attribute_new    (const char *name,
                                               const char *value);

/* Digits only, no sign or space, at most @max. read_uint takes the digits
 * at *p and moves past them; parse_uint wants all of s[0..len). */
gboolean           _hail_sdp_read_uint      (const char **p,
                                             guint64      max,
                                             guint64     *out);
gboolean           _hail_sdp_parse_uint     (const char  *s,
                                             gsize        len,
                                             guint64      max,
                                             guint64     *out);
/* Set HAIL_SIP_ERROR_MALFORMED (answer 400) or _UNSUPPORTED (488);
 * return FALSE. */
gboolean           _hail_sdp_malformed      (GError     **error,
                                             const char  *format,
                                             ...) G_GNUC_PRINTF (2, 3);
gboolean           _hail_sdp_unsupported    (GError     **error,
                                             const char  *message);

/* Checks the value of an attribute Hail reads (rtpmap, crypto, path, ...);
 * others pass. @value is NULL for a property attribute. */
gboolean           _hail_sdp_attribute_validate (const char  *name,
                                                 const char  *value,
                                                 GError     **error);

G_END_DECLS
