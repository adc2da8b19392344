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
void               _hail_sdp_bandwidth_free   (HailSdpBandwidth *bw);
void               _hail_sdp_attribute_free   (HailSdpAttribute *attr);
HailSdpAttribute  *_hail_sdp_attribute_new    (const char *name,
                                               const char *value);

/* Checks the value of an attribute Hail reads (rtpmap, crypto, path, ...);
 * others pass. @value is NULL for a property attribute. */
gboolean           _hail_sdp_attribute_validate (const char  *name,
                                                 const char  *value,
                                                 GError     **error);

G_END_DECLS
