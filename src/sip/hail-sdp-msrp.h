/* hail-sdp-msrp.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SDP attributes of MSRP sessions: RFC 4975 (path, accept-types, max-size),
 * RFC 6135 / RFC 4145 (setup, connection) and RFC 5547 (file transfer).
 */
#pragma once

#include "hail-sdp-session.h"

G_BEGIN_DECLS

typedef enum {
  HAIL_SDP_SETUP_ACTIVE,
  HAIL_SDP_SETUP_PASSIVE,
  HAIL_SDP_SETUP_ACTPASS,
  HAIL_SDP_SETUP_HOLDCONN,
} HailSdpSetup;

typedef enum {
  HAIL_SDP_CONNECTION_MODE_NEW,
  HAIL_SDP_CONNECTION_MODE_EXISTING,
} HailSdpConnectionMode;

/* a=file-selector (RFC 5547 §6): any part may be absent. */
typedef struct {
  char   *name;            /* without the quotes, still percent-encoded */
  char   *type;            /* "image/png", with any ";" parameters */
  gint64  size;            /* -1 when absent */
  char   *hash_algorithm;  /* "sha-1" */
  char   *hash;            /* "72:24:5F:..." */
} HailSdpFileSelector;

GStrv                hail_sdp_msrp_path_parse            (const char   *value,
                                                          GError      **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;
GStrv                hail_sdp_media_dup_msrp_path        (const HailSdpMedia *media)
                                                          G_GNUC_WARN_UNUSED_RESULT;
GStrv                hail_sdp_media_dup_accept_types     (const HailSdpMedia *media)
                                                          G_GNUC_WARN_UNUSED_RESULT;
GStrv                hail_sdp_media_dup_accept_wrapped_types (const HailSdpMedia *media)
                                                              G_GNUC_WARN_UNUSED_RESULT;
/* RFC 5547 §6: a=file-range:<start>-<stop>, 1-based and inclusive; @stop
 * gets -1 for "*" (up to the end). FALSE when absent or malformed. */
gboolean             hail_sdp_media_get_file_range       (const HailSdpMedia *media,
                                                          guint64            *start,
                                                          gint64             *stop);
void                 hail_sdp_media_set_file_range       (HailSdpMedia       *media,
                                                          guint64             start,
                                                          gint64              stop);
gboolean             hail_sdp_media_get_max_size         (const HailSdpMedia *media,
                                                          guint64            *max_size);
gboolean             hail_sdp_media_get_setup            (const HailSdpMedia *media,
                                                          HailSdpSetup       *setup);
gboolean             hail_sdp_media_get_connection_mode  (const HailSdpMedia    *media,
                                                          HailSdpConnectionMode *mode);
const char          *hail_sdp_setup_to_string            (HailSdpSetup  setup);
gboolean             hail_sdp_setup_from_string          (const char   *name,
                                                          HailSdpSetup *setup);

HailSdpFileSelector *hail_sdp_file_selector_parse        (const char   *value,
                                                          GError      **error)
                                                          G_GNUC_WARN_UNUSED_RESULT;
void                 hail_sdp_file_selector_free         (HailSdpFileSelector *selector);
HailSdpFileSelector *hail_sdp_media_dup_file_selector    (const HailSdpMedia *media)
                                                          G_GNUC_WARN_UNUSED_RESULT;

void                 hail_sdp_media_set_msrp_path        (HailSdpMedia       *media,
                                                          const char * const *uris);
void                 hail_sdp_media_set_accept_types     (HailSdpMedia       *media,
                                                          const char * const *types);
void                 hail_sdp_media_set_accept_wrapped_types (HailSdpMedia       *media,
                                                              const char * const *types);
void                 hail_sdp_media_set_max_size         (HailSdpMedia       *media,
                                                          guint64             max_size);
void                 hail_sdp_media_set_setup            (HailSdpMedia       *media,
                                                          HailSdpSetup        setup);
void                 hail_sdp_media_set_connection_mode  (HailSdpMedia          *media,
                                                          HailSdpConnectionMode  mode);
void                 hail_sdp_media_set_file_selector    (HailSdpMedia              *media,
                                                          const HailSdpFileSelector *selector);
void                 hail_sdp_media_set_file_transfer_id (HailSdpMedia       *media,
                                                          const char         *id);
void                 hail_sdp_media_set_file_disposition (HailSdpMedia       *media,
                                                          const char         *disposition);

/* Private to src/sip: checks the MSRP attributes; others pass. */
gboolean             _hail_sdp_msrp_validate             (const char   *name,
                                                          const char   *value,
                                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpFileSelector, hail_sdp_file_selector_free)

G_END_DECLS
