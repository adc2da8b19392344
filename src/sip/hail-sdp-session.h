/* hail-sdp-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Bounds on a peer's SDP body. A body passing any of them is refused with
 * HAIL_SIP_ERROR_TOO_LARGE before anything is allocated for the excess. */
#define HAIL_SDP_MAX_SIZE        65536  /* bytes in a whole body */
#define HAIL_SDP_MAX_LINE        4096   /* bytes in one line, without its end */
#define HAIL_SDP_MAX_MEDIA       32     /* m= sections */
#define HAIL_SDP_MAX_ATTRIBUTES  256    /* a= lines in one section */
#define HAIL_SDP_MAX_FORMATS     128    /* formats on one m= line */
#define HAIL_SDP_MAX_REPEATED    32     /* e=, p=, b=, c=, t= or r= lines in one section */

#define HAIL_TYPE_SDP_SESSION (hail_sdp_session_get_type ())

typedef struct _HailSdpSession HailSdpSession;

/* o= (RFC 8866 §5.2). */
typedef struct {
  char    *username;
  guint64  sess_id;
  guint64  sess_version;
  char    *nettype;
  char    *addrtype;
  char    *address;
} HailSdpOrigin;

/* c= (RFC 8866 §5.7): ttl is 0 when absent (always for IP6); n_addresses
 * is 1 unless the multicast "/<number>" form is used. */
typedef struct {
  char  *nettype;
  char  *addrtype;
  char  *address;
  guint  ttl;
  guint  n_addresses;
} HailSdpConnection;

/* b= (RFC 8866 §5.8), for instance "AS" 64 or "TIAS" 64000. */
typedef struct {
  char    *type;
  guint64  value;
} HailSdpBandwidth;

/* a= (RFC 8866 §5.13): value is NULL for a property attribute (a=rtcp-mux)
 * and "" for "a=name:". Both are kept verbatim so they are written back. */
typedef struct {
  char *name;
  char *value;
} HailSdpAttribute;

/* t= with its r= lines, which are kept verbatim. */
typedef struct {
  guint64    start;
  guint64    stop;
  GPtrArray *repeats;     /* of char * */
} HailSdpTime;

/* One m= section (RFC 8866 §5.14). Owned by its session: read-only. */
typedef struct {
  char       *media;      /* "audio", "video", "message", ... */
  guint16     port;
  guint       n_ports;    /* 1 unless "<port>/<number>" */
  char       *proto;      /* "RTP/AVP", "TCP/MSRP", ... */
  GPtrArray  *formats;    /* of char *, in order */
  char       *info;       /* i= or NULL */
  GPtrArray  *connections;  /* of HailSdpConnection * */
  GPtrArray  *bandwidths; /* of HailSdpBandwidth * */
  char       *key;        /* k= or NULL (obsolete, kept verbatim) */
  GPtrArray  *attributes; /* of HailSdpAttribute *, in order */
} HailSdpMedia;

GType            hail_sdp_session_get_type        (void) G_GNUC_CONST;

HailSdpSession  *hail_sdp_session_new             (const char     *username,
                                                   guint64         sess_id,
                                                   guint64         sess_version,
                                                   const char     *address)
                                                   G_GNUC_WARN_UNUSED_RESULT;
HailSdpSession  *hail_sdp_session_parse           (const char     *data,
                                                   gsize           len,
                                                   GError        **error) G_GNUC_WARN_UNUSED_RESULT;
HailSdpSession  *hail_sdp_session_parse_bytes     (GBytes         *bytes,
                                                   GError        **error) G_GNUC_WARN_UNUSED_RESULT;
HailSdpSession  *hail_sdp_session_ref             (HailSdpSession *self);
void             hail_sdp_session_unref           (HailSdpSession *self);
HailSdpSession  *hail_sdp_session_copy            (const HailSdpSession *self)
                                                   G_GNUC_WARN_UNUSED_RESULT;

char            *hail_sdp_session_to_string       (const HailSdpSession *self)
                                                   G_GNUC_WARN_UNUSED_RESULT;
GBytes          *hail_sdp_session_to_bytes        (const HailSdpSession *self)
                                                   G_GNUC_WARN_UNUSED_RESULT;
gboolean         hail_sdp_session_equal           (const HailSdpSession *a,
                                                   const HailSdpSession *b);

const HailSdpOrigin     *hail_sdp_session_get_origin      (const HailSdpSession *self);
const char              *hail_sdp_session_get_name        (const HailSdpSession *self);
const char              *hail_sdp_session_get_info        (const HailSdpSession *self);
const char              *hail_sdp_session_get_uri         (const HailSdpSession *self);
const GPtrArray         *hail_sdp_session_get_emails      (const HailSdpSession *self);
const GPtrArray         *hail_sdp_session_get_phones      (const HailSdpSession *self);
const HailSdpConnection *hail_sdp_session_get_connection  (const HailSdpSession *self);
const GPtrArray         *hail_sdp_session_get_bandwidths  (const HailSdpSession *self);
const GPtrArray         *hail_sdp_session_get_times       (const HailSdpSession *self);
const char              *hail_sdp_session_get_zone        (const HailSdpSession *self);
const char              *hail_sdp_session_get_key         (const HailSdpSession *self);
const GPtrArray         *hail_sdp_session_get_attributes  (const HailSdpSession *self);
guint                    hail_sdp_session_get_n_media     (const HailSdpSession *self);
const HailSdpMedia      *hail_sdp_session_get_media       (const HailSdpSession *self,
                                                           guint                 index);
const char              *hail_sdp_session_get_attribute   (const HailSdpSession *self,
                                                           const char           *name);
gboolean                 hail_sdp_session_has_attribute   (const HailSdpSession *self,
                                                           const char           *name);

/* Builder: only for a session nobody else holds a reference to yet. */
void            hail_sdp_session_set_origin       (HailSdpSession *self,
                                                   const char     *username,
                                                   guint64         sess_id,
                                                   guint64         sess_version,
                                                   const char     *address);
void            hail_sdp_session_set_version      (HailSdpSession *self,
                                                   guint64         sess_version);
void            hail_sdp_session_set_name         (HailSdpSession *self,
                                                   const char     *name);
void            hail_sdp_session_set_connection   (HailSdpSession *self,
                                                   const char     *address);
void            hail_sdp_session_add_bandwidth    (HailSdpSession *self,
                                                   const char     *type,
                                                   guint64         value);
void            hail_sdp_session_add_attribute    (HailSdpSession *self,
                                                   const char     *name,
                                                   const char     *value);
HailSdpMedia   *hail_sdp_session_add_media        (HailSdpSession *self,
                                                   const char     *media,
                                                   guint16         port,
                                                   const char     *proto);

/* Per-section reading. */
const HailSdpConnection *hail_sdp_media_get_connection (const HailSdpMedia *media);
const char      *hail_sdp_media_get_attribute     (const HailSdpMedia *media,
                                                   const char         *name);
gboolean         hail_sdp_media_has_attribute     (const HailSdpMedia *media,
                                                   const char         *name);
gboolean         hail_sdp_media_has_format        (const HailSdpMedia *media,
                                                   const char         *format);

/* Per-section building (the media must belong to a session being built). */
void            hail_sdp_media_set_port           (HailSdpMedia   *media,
                                                   guint16         port);
void            hail_sdp_media_add_format         (HailSdpMedia   *media,
                                                   const char     *format);
void            hail_sdp_media_set_connection     (HailSdpMedia   *media,
                                                   const char     *address);
void            hail_sdp_media_add_bandwidth      (HailSdpMedia   *media,
                                                   const char     *type,
                                                   guint64         value);
void            hail_sdp_media_add_attribute      (HailSdpMedia   *media,
                                                   const char     *name,
                                                   const char     *value);
void            hail_sdp_media_add_attribute_printf (HailSdpMedia *media,
                                                     const char   *name,
                                                     const char   *format,
                                                     ...) G_GNUC_PRINTF (3, 4);
void            hail_sdp_media_remove_attributes  (HailSdpMedia   *media,
                                                   const char     *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpSession, hail_sdp_session_unref)

G_END_DECLS
