/* hail-call-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-media-stream-config.h"

G_BEGIN_DECLS

/* One call as the call window sees it. src/core's HailCall will implement
 * this (issue #4); the window only reads the properties and calls the
 * methods below, so it never speaks SIP. */

typedef enum {
  HAIL_CALL_VIEW_STATE_INCOMING,   /* Ringing here: Answer or Decline. */
  HAIL_CALL_VIEW_STATE_DIALING,    /* INVITE sent, nothing back yet. */
  HAIL_CALL_VIEW_STATE_RINGING,    /* The peer is ringing (180/183). */
  HAIL_CALL_VIEW_STATE_ACTIVE,     /* Answered; media flowing. */
  HAIL_CALL_VIEW_STATE_ENDED,      /* Over; "end-reason" says why when it failed. */
} HailCallViewState;

#define HAIL_TYPE_CALL_VIEW_STATE (hail_call_view_state_get_type ())
GType hail_call_view_state_get_type (void) G_GNUC_CONST;

/* What the call window's "Call Details" shows of a call's audio. The
 * counts run from the start of the call's media. */
typedef struct {
  HailMediaCodec codec;
  guint          rate;            /* Hz of the decoded audio */
  gboolean       encrypted;       /* SRTP */
  guint          delay_ms;        /* the playout delay now */
  guint          delay_max_ms;    /* what the delay may grow to; 0: unknown */
  guint64        received;        /* RTP packets */
  guint64        lost;
  guint64        late;
} HailCallQuality;

/* A link losing more than this share of its packets sounds choppy. */
#define HAIL_CALL_QUALITY_POOR_LOSS_PERCENT 5.0
/* Fewer packets than this (about 2 s of 20 ms packets) say too little
 * about loss to warn on. */
#define HAIL_CALL_QUALITY_MIN_PACKETS 100

#define HAIL_TYPE_CALL_VIEW (hail_call_view_get_type ())

G_DECLARE_INTERFACE (HailCallView, hail_call_view, HAIL, CALL_VIEW, GObject)

/* Properties, all with notify: "id" (string, unique in the process),
 * "peer" (string: the remote address), "peer-name" (string, nullable),
 * "state" (HailCallViewState), "duration" (uint, seconds since answered),
 * "muted" and "held" (boolean, writable), "input-level" and "output-level"
 * (double, 0 to 1), "input-device" and "output-device" (string ids of
 * HailMediaDevice, writable, nullable for the default), "end-reason"
 * (string, nullable: a sentence for people when the call failed).
 * Signal "quality-changed": what get_quality() gives changed other than by
 * the packet counts (the delay, the codec, the audio starting or ending);
 * the counts are read when wanted. */
struct _HailCallViewInterface {
  GTypeInterface parent_iface;

  gboolean (*answer)    (HailCallView  *self,
                         GError       **error);
  gboolean (*hang_up)   (HailCallView  *self,
                         GError       **error);
  gboolean (*send_dtmf) (HailCallView  *self,
                         char           digit,
                         GError       **error);
  /* Optional: without it, refuse_busy() hangs up. */
  gboolean (*refuse_busy) (HailCallView  *self,
                           GError       **error);
  /* Optional: without it, a call never has quality figures. */
  gboolean (*get_quality) (HailCallView    *self,
                           HailCallQuality *quality);
};

char              *hail_call_view_dup_id           (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
HailCallViewState  hail_call_view_get_state        (HailCallView  *self);
char              *hail_call_view_dup_peer         (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
char              *hail_call_view_dup_display_name (HailCallView  *self) G_GNUC_WARN_UNUSED_RESULT;
/* Answers an incoming call. */
gboolean           hail_call_view_answer           (HailCallView  *self,
                                                    GError       **error);
/* Declines an incoming call, cancels an outgoing one or ends an active one. */
gboolean           hail_call_view_hang_up          (HailCallView  *self,
                                                    GError       **error);
/* Refuses an incoming call the user never saw (two calls already in the
 * window): the caller hears busy, and the history counts it as missed. */
gboolean           hail_call_view_refuse_busy      (HailCallView  *self,
                                                    GError       **error);
/* @digit is one of 0-9, *, #, A-D. */
gboolean           hail_call_view_send_dtmf        (HailCallView  *self,
                                                    char           digit,
                                                    GError       **error);
char              *hail_call_view_format_duration  (guint          seconds)
                                                    G_GNUC_WARN_UNUSED_RESULT;
/* Fills @quality and returns TRUE while the call's audio runs; otherwise
 * zeroes it and returns FALSE. */
gboolean           hail_call_view_get_quality      (HailCallView    *self,
                                                    HailCallQuality *quality);

/* "Opus, 48 kHz", "G.711 µ-law": the codec in words for people. */
char              *hail_call_quality_dup_codec_text (const HailCallQuality *quality)
                                                     G_GNUC_WARN_UNUSED_RESULT;
/* @count as a percentage of @total, 0 when @total is 0. */
double             hail_call_quality_percent        (guint64                count,
                                                     guint64                total);
/* The share of packets lost from @since to @now, as a percentage of those
 * that were due (received or lost) in between, in @percent. FALSE when too
 * few were due to tell (HAIL_CALL_QUALITY_MIN_PACKETS), or when the counts
 * went back (a new media session). */
gboolean           hail_call_quality_loss_between   (const HailCallQuality *since,
                                                     const HailCallQuality *now,
                                                     double                *percent);
/* Whether the call sounds poor: @loss_percent above
 * HAIL_CALL_QUALITY_POOR_LOSS_PERCENT, or the delay at its cap. */
gboolean           hail_call_quality_is_poor        (const HailCallQuality *quality,
                                                     double                 loss_percent);

G_END_DECLS
