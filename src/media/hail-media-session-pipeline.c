/* hail-media-session-pipeline.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds and drives the GStreamer pipeline of a HailMediaSession:
 *
 *   source ! level ! volume ! encoder ! payloader ! rtpdtmfmux ! valve ! rtpbin
 *   rtpdtmfsrc ! rtpdtmfmux.priority_sink           rtpbin ! udpsink (RTP socket)
 *   udpsrc (RTP socket) ! valve ! rtpbin            rtpbin ! udpsink (RTCP socket)
 *   udpsrc (RTCP socket) ! rtpbin
 *   rtpbin ! depayloader ! decoder ! funnel ! level ! sink   (a branch per SSRC)
 *   and, for device sinks, a second pipeline: dtmfsrc ! sink (local key tones)
 *
 * udpsrc and udpsink share each GSocket, so we send from the port we
 * receive on (symmetric RTP, RFC 4961). Received audio keeps the jitter
 * buffer's timestamps all the way to the sink: a device sink plays it in
 * time and fills gaps itself, a recorder writes what arrives. A live mixer
 * here (to mix in silence) dropped whole seconds as late under load.
 *
 * Threads: the callbacks marked "streaming thread" run in GStreamer threads
 * and touch only the immutable StreamCtx and GStreamer objects; everything
 * reaches the session through the bus watch on its main context.
 */
#include "config.h"

#include "hail-media-session-private.h"

#include "hail-media-error.h"
#include "hail-media-jitter.h"
#include "hail-media-private.h"

#include <gst/rtp/rtp.h>
#include <stdio.h>
#include <string.h>

#define BRANCH_KEY "hail-receive-branch"

/* Packet counters, written by streaming threads, read by the session. */
typedef struct {
  int sent;
  int received;
} Counters;

/* What streaming-thread callbacks need; immutable once built. */
typedef struct {
  HailMediaCodec  codec;
  guint           pt;
  int             te_pt;
  guint           clock_rate;
  guint           rate;
  gboolean        srtp;
  GstElement     *output;          /* owned: the funnel before the sink */
  Counters       *counters;        /* owned */
  GstCaps        *srtp_recv_caps;  /* owned; NULL without SRTP */
  GstElement     *srtp_enc;        /* owned; NULL without SRTP */
  GstElement     *srtp_dec;        /* owned; NULL without SRTP */
} StreamCtx;

struct _HailMediaPipeline {
  GstElement *pipeline;   /* owned */
  GstElement *feedback;   /* owned: the local key tone pipeline, or NULL */
  StreamCtx  *ctx;        /* owned */

  /* Borrowed: the pipeline owns them. */
  GstElement *rtpbin;
  GstElement *send_valve;
  GstElement *recv_valve;
  GstElement *volume;
  GstElement *in_level;
  GstElement *out_level;
  GstElement *rtp_dtmf;
  GstElement *tone_dtmf;  /* in feedback */
  GstElement *feedback_sink; /* in feedback */
  GstElement *source_bin;
  GstElement *sink_bin;
};

static const char * const rtp_encoding_names[] = {
  [HAIL_MEDIA_CODEC_OPUS] = "OPUS",
  [HAIL_MEDIA_CODEC_G722] = "G722",
  [HAIL_MEDIA_CODEC_PCMU] = "PCMU",
  [HAIL_MEDIA_CODEC_PCMA] = "PCMA",
};

static const struct {
  const char *encoder;
  const char *payloader;
  const char *depayloader;
  const char *decoder;
} codec_elements[] = {
  [HAIL_MEDIA_CODEC_OPUS] = { "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec" },
  [HAIL_MEDIA_CODEC_G722] = { "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722" },
  [HAIL_MEDIA_CODEC_PCMU] = { "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec" },
  [HAIL_MEDIA_CODEC_PCMA] = { "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec" },
};

static guint echo_probe_serial;

static void
counters_unref (gpointer data)
{
  g_atomic_rc_box_release (data);
}

static void
stream_ctx_clear (StreamCtx *ctx)
{
  gst_clear_object (&ctx->output);
  g_clear_pointer (&ctx->counters, counters_unref);
  gst_clear_caps (&ctx->srtp_recv_caps);
  gst_clear_object (&ctx->srtp_enc);
  gst_clear_object (&ctx->srtp_dec);
}

static StreamCtx *
stream_ctx_ref (StreamCtx *ctx)
{
  return g_atomic_rc_box_acquire (ctx);
}

static void
stream_ctx_unref (gpointer data,
                  GClosure *closure)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) stream_ctx_clear);
}

static guint
probe_packets (GstPadProbeInfo *info)
{
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    return gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  return 1;
}

/* Streaming thread: counts the RTP packets through @pad. Sent packets are
 * counted as they enter a udpsink (a sink pad), received ones as they
 * leave rtpbin, past SRTP and the jitter buffer (a source pad). */
static GstPadProbeReturn
count_packets_cb (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  Counters *counters = user_data;
  int *count = GST_PAD_IS_SINK (pad) ? &counters->sent : &counters->received;

  g_atomic_int_add (count, (int) probe_packets (info));
  return GST_PAD_PROBE_OK;
}

static void
add_counter (GstPad   *pad,
             Counters *counters)
{
  /* The probe keeps the counters alive. */
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     count_packets_cb, g_atomic_rc_box_acquire (counters), counters_unref);
}

static GstCaps *
rtp_caps (StreamCtx *ctx,
          guint      pt)
{
  const char *encoding;

  /* Telephone events run at the stream's clock rate, like the codec. */
  if (pt == ctx->pt)
    encoding = rtp_encoding_names[ctx->codec];
  else if ((int) pt == ctx->te_pt)
    encoding = "TELEPHONE-EVENT";
  else
    return NULL;
  return gst_caps_new_simple ("application/x-rtp",
                              "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT, (int) ctx->clock_rate,
                              "encoding-name", G_TYPE_STRING, encoding,
                              "payload", G_TYPE_INT, (int) pt,
                              NULL);
}

/* Streaming thread: rtpbin asks what a payload type is. Types the stream
 * description does not name are dropped by rtpbin when we answer NULL. */
static GstCaps *
request_pt_map_cb (GstElement *rtpbin,
                   guint       session,
                   guint       pt,
                   gpointer    user_data)
{
  GstCaps *caps = rtp_caps (user_data, pt);

  if (caps == NULL)
    g_debug ("Dropping RTP with unnegotiated payload type %u", pt);
  return caps;
}

/* Streaming thread: srtpdec asks for the key of a new SSRC. */
static GstCaps *
request_key_cb (GstElement *srtpdec,
                guint       ssrc,
                gpointer    user_data)
{
  StreamCtx *ctx = user_data;

  return gst_caps_ref (ctx->srtp_recv_caps);
}

/* rtpbin asks for the SRTP elements of session 0; each return passes it a
 * reference (rtpbin drops one per request when it lets go). */
static GstElement *
request_encoder_cb (GstElement *rtpbin,
                    guint       session,
                    gpointer    user_data)
{
  StreamCtx *ctx = user_data;

  return session == 0 ? gst_object_ref (ctx->srtp_enc) : NULL;
}

static GstElement *
request_decoder_cb (GstElement *rtpbin,
                    guint       session,
                    gpointer    user_data)
{
  StreamCtx *ctx = user_data;

  return session == 0 ? gst_object_ref (ctx->srtp_dec) : NULL;
}

static GstElement *
make_receive_branch (StreamCtx  *ctx,
                     guint       pt,
                     GError    **error)
{
  GstElement *bin = gst_bin_new (NULL);
  GstBin *b = GST_BIN (bin);
  gboolean ok = FALSE;

  if (pt == ctx->pt)
    {
      g_autoptr(GstCaps) caps = _hail_media_gst_raw_caps (ctx->rate);
      GstElement *depay, *dec, *convert, *resample, *filter;

      if ((depay = _hail_media_gst_add (b, codec_elements[ctx->codec].depayloader, NULL, error))
          && (dec = _hail_media_gst_add (b, codec_elements[ctx->codec].decoder, NULL, error))
          && (convert = _hail_media_gst_add (b, "audioconvert", NULL, error))
          && (resample = _hail_media_gst_add (b, "audioresample", NULL, error))
          && (filter = _hail_media_gst_add (b, "capsfilter", NULL, error)))
        {
          g_object_set (filter, "caps", caps, NULL);
          if (ctx->codec == HAIL_MEDIA_CODEC_OPUS)
            g_object_set (dec, "plc", TRUE, "use-inband-fec", TRUE, NULL);
          ok = _hail_media_gst_link_chain (error, depay, dec, convert, resample, filter, NULL);
          if (ok)
            {
              _hail_media_gst_ghost (bin, "sink", depay, "sink");
              _hail_media_gst_ghost (bin, "src", filter, "src");
            }
        }
    }
  else
    {
      GstElement *depay = NULL, *sink;

      /* rtpdtmfdepay posts a "dtmf-event" message per event; its audio is
       * not played (the remote side hears its own keys). */
      if ((int) pt == ctx->te_pt)
        depay = _hail_media_gst_add (b, "rtpdtmfdepay", NULL, error);
      sink = _hail_media_gst_add (b, "fakesink", NULL, error);
      if (sink != NULL && ((int) pt != ctx->te_pt || depay != NULL))
        {
          g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
          ok = depay == NULL || _hail_media_gst_link_chain (error, depay, sink, NULL);
          if (ok)
            _hail_media_gst_ghost (bin, "sink", depay != NULL ? depay : sink, "sink");
        }
    }
  if (!ok)
    {
      gst_object_unref (bin);
      return NULL;
    }
  return bin;
}

static void
post_error (GstElement *element,
            GError     *error)
{
  gst_element_post_message (element,
                            gst_message_new_error (GST_OBJECT (element), error, NULL));
}

/* Streaming thread: a new SSRC/payload type came out of the jitter buffer. */
static void
pad_added_cb (GstElement *rtpbin,
              GstPad     *pad,
              gpointer    user_data)
{
  StreamCtx *ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstObject) parent = NULL;
  g_autoptr(GstPad) branch_sink = NULL;
  g_autoptr(GstPad) branch_src = NULL;
  g_autoptr(GstPad) output_sink = NULL;
  GstElement *branch;
  guint session, ssrc, pt;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC
      || sscanf (GST_PAD_NAME (pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;

  g_debug ("Receiving SSRC %08x, payload type %u", ssrc, pt);
  add_counter (pad, ctx->counters);

  parent = gst_object_get_parent (GST_OBJECT (rtpbin));
  if (parent == NULL)
    return;
  if ((branch = make_receive_branch (ctx, pt, &error)) == NULL)
    {
      post_error (rtpbin, error);
      return;
    }
  gst_bin_add (GST_BIN (parent), branch);
  g_object_set_data_full (G_OBJECT (pad), BRANCH_KEY, gst_object_ref (branch),
                          gst_object_unref);
  branch_src = gst_element_get_static_pad (branch, "src");
  if (branch_src != NULL)
    {
      output_sink = gst_element_request_pad_simple (ctx->output, "sink_%u");
      if (output_sink == NULL || gst_pad_link (branch_src, output_sink) != GST_PAD_LINK_OK)
        {
          g_set_error_literal (&error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
                               "Cannot play a received stream");
          post_error (rtpbin, error);
          return;
        }
    }
  branch_sink = gst_element_get_static_pad (branch, "sink");
  gst_element_sync_state_with_parent (branch);
  if (gst_pad_link (pad, branch_sink) != GST_PAD_LINK_OK)
    {
      g_set_error_literal (&error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
                           "Cannot link a received stream to its decoder");
      post_error (rtpbin, error);
    }
}

/* Runs on GStreamer's call-async thread, where changing a branch's state
 * cannot deadlock against the streaming thread that removed its pad. */
static void
remove_branch_async (GstElement *rtpbin,
                     gpointer    user_data)
{
  GstElement *branch = user_data;
  g_autoptr(GstPad) src = gst_element_get_static_pad (branch, "src");
  g_autoptr(GstPad) output_sink = src != NULL ? gst_pad_get_peer (src) : NULL;
  g_autoptr(GstObject) parent = gst_object_get_parent (GST_OBJECT (branch));

  if (output_sink != NULL)
    {
      g_autoptr(GstObject) output = gst_pad_get_parent (output_sink);

      gst_pad_unlink (src, output_sink);
      if (output != NULL)
        gst_element_release_request_pad (GST_ELEMENT (output), output_sink);
    }
  gst_element_set_locked_state (branch, TRUE);
  gst_element_set_state (branch, GST_STATE_NULL);
  if (parent != NULL)
    gst_bin_remove (GST_BIN (parent), branch);
}

/* Streaming or application thread: a stream timed out or said BYE. */
static void
pad_removed_cb (GstElement *rtpbin,
                GstPad     *pad,
                gpointer    user_data)
{
  gpointer branch = g_object_steal_data (G_OBJECT (pad), BRANCH_KEY);

  if (branch != NULL)
    gst_element_call_async (rtpbin, remove_branch_async, branch, gst_object_unref);
}

static GstBuffer *
key_buffer (GBytes *key)
{
  return gst_buffer_new_wrapped_bytes (key);
}

static const char *
srtp_auth (HailMediaSrtpSuite suite)
{
  return suite == HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32 ? "hmac-sha1-32" : "hmac-sha1-80";
}

static gboolean
setup_srtp (StreamCtx                    *ctx,
            GstElement                   *rtpbin,
            const HailMediaStreamConfig  *config,
            GError                      **error)
{
  g_autoptr(GstBuffer) send_key = key_buffer (config->srtp_send_key);
  g_autoptr(GstBuffer) recv_key = key_buffer (config->srtp_recv_key);
  g_autoptr(GstPad) pad = NULL;

  if ((ctx->srtp_enc = _hail_media_gst_make ("srtpenc", NULL, error)) == NULL
      || (ctx->srtp_dec = _hail_media_gst_make ("srtpdec", NULL, error)) == NULL)
    return FALSE;
  gst_object_ref_sink (ctx->srtp_enc);
  gst_object_ref_sink (ctx->srtp_dec);

  /* RFC 4568 §6.2: the _32 suite shortens the SRTP tag only; SRTCP keeps 80 bits. */
  g_object_set (ctx->srtp_enc, "key", send_key, "random-key", FALSE, NULL);
  gst_util_set_object_arg (G_OBJECT (ctx->srtp_enc), "rtp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (ctx->srtp_enc), "rtp-auth", srtp_auth (config->srtp_suite));
  gst_util_set_object_arg (G_OBJECT (ctx->srtp_enc), "rtcp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (ctx->srtp_enc), "rtcp-auth", "hmac-sha1-80");
  /* srtpenc makes its rtp_src_0 pad when rtp_sink_0 is requested; rtpbin
   * expects both to exist. */
  pad = gst_element_request_pad_simple (ctx->srtp_enc, "rtp_sink_0");
  gst_clear_object (&pad);
  pad = gst_element_request_pad_simple (ctx->srtp_enc, "rtcp_sink_0");

  ctx->srtp_recv_caps = gst_caps_new_simple ("application/x-srtp",
                                             "srtp-key", GST_TYPE_BUFFER, recv_key,
                                             "srtp-cipher", G_TYPE_STRING, "aes-128-icm",
                                             "srtp-auth", G_TYPE_STRING,
                                             srtp_auth (config->srtp_suite),
                                             "srtcp-cipher", G_TYPE_STRING, "aes-128-icm",
                                             "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80",
                                             NULL);
  g_signal_connect_data (ctx->srtp_dec, "request-key", G_CALLBACK (request_key_cb),
                         stream_ctx_ref (ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "request-rtp-encoder", G_CALLBACK (request_encoder_cb),
                         stream_ctx_ref (ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "request-rtcp-encoder", G_CALLBACK (request_encoder_cb),
                         stream_ctx_ref (ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "request-rtp-decoder", G_CALLBACK (request_decoder_cb),
                         stream_ctx_ref (ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "request-rtcp-decoder", G_CALLBACK (request_decoder_cb),
                         stream_ctx_ref (ctx), stream_ctx_unref, 0);
  return TRUE;
}

/* Reads the Opus fmtp parameters we honour (RFC 7587 §6.1); anything else,
 * or a malformed value, leaves the default. */
static void
apply_opus_fmtp (GstElement *enc,
                 const char *fmtp)
{
  g_auto(GStrv) params = NULL;

  if (fmtp == NULL)
    return;
  params = g_strsplit (fmtp, ";", 32);
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *param = g_strstrip (g_strdup (params[i]));
      char *eq = strchr (param, '=');
      guint64 value;

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (!g_ascii_string_to_unsigned (g_strstrip (eq + 1), 10, 0, G_MAXUINT32, &value, NULL))
        continue;
      if (g_ascii_strcasecmp (g_strstrip (param), "maxaveragebitrate") == 0)
        g_object_set (enc, "bitrate", (int) CLAMP (value, 6000, 510000), NULL);
      else if (g_ascii_strcasecmp (param, "useinbandfec") == 0)
        g_object_set (enc, "inband-fec", value == 1, NULL);
      else if (g_ascii_strcasecmp (param, "usedtx") == 0)
        g_object_set (enc, "dtx", value == 1, NULL);
    }
}

static gboolean
build_send (HailMediaPipeline            *self,
            GstBin                       *bin,
            GstElement                   *rtpbin,
            const HailMediaStreamConfig  *config,
            HailMediaSource              *source,
            const char                   *echo_probe,
            gboolean                      muted,
            GError                      **error)
{
  guint ptime = config->ptime != 0 ? config->ptime : 20;
  GstElement *src, *enc, *pay, *mux;
  g_autoptr(GstPad) mux_sink = NULL;
  g_autoptr(GstPad) valve_src = NULL;
  g_autoptr(GstPad) rtpbin_sink = NULL;

  if ((src = _hail_media_source_build (source, self->ctx->rate, echo_probe, error)) == NULL)
    return FALSE;
  gst_bin_add (bin, src);
  self->source_bin = src;
  if ((self->in_level = _hail_media_gst_add (bin, "level", NULL, error)) == NULL
      || (self->volume = _hail_media_gst_add (bin, "volume", NULL, error)) == NULL
      || (enc = _hail_media_gst_add (bin, codec_elements[config->codec].encoder, NULL, error))
         == NULL
      || (pay = _hail_media_gst_add (bin, codec_elements[config->codec].payloader, NULL, error))
         == NULL
      || (mux = _hail_media_gst_add (bin, "rtpdtmfmux", NULL, error)) == NULL
      || (self->send_valve = _hail_media_gst_add (bin, "valve", NULL, error)) == NULL)
    return FALSE;

  g_object_set (self->in_level, "interval",
                (guint64) HAIL_MEDIA_LEVEL_INTERVAL_MS * GST_MSECOND, "post-messages", TRUE, NULL);
  g_object_set (self->volume, "mute", muted, NULL);
  g_object_set (pay, "pt", config->payload_type, NULL);
  if (config->codec == HAIL_MEDIA_CODEC_OPUS)
    {
      g_autofree char *frame = g_strdup_printf ("%u", ptime >= 60 ? 60 : ptime >= 40 ? 40
                                                      : ptime >= 20 ? 20 : 10);

      g_object_set (enc, "bitrate", 32000, NULL);
      gst_util_set_object_arg (G_OBJECT (enc), "frame-size", frame);
      gst_util_set_object_arg (G_OBJECT (enc), "audio-type", "voice");
      apply_opus_fmtp (enc, config->fmtp);
    }
  else
    {
      /* The sample-based payloaders cut packets to exactly ptime. */
      g_object_set (pay,
                    "min-ptime", (gint64) ptime * GST_MSECOND,
                    "max-ptime", (gint64) ptime * GST_MSECOND,
                    NULL);
    }

  if (!_hail_media_gst_link_chain (error, src, self->in_level, self->volume, enc, pay, mux,
                                   self->send_valve, NULL))
    return FALSE;

  if (config->telephone_event_pt >= 0)
    {
      if ((self->rtp_dtmf = _hail_media_gst_add (bin, "rtpdtmfsrc", NULL, error)) == NULL)
        return FALSE;
      g_object_set (self->rtp_dtmf,
                    "pt", (guint) config->telephone_event_pt,
                    "clock-rate", self->ctx->clock_rate,
                    NULL);
      /* While a digit is sent the priority pad holds back the audio, so the
       * peer does not hear the key both as an event and as a tone. */
      mux_sink = gst_element_request_pad_simple (mux, "priority_sink_%u");
      if (!gst_element_link_pads (self->rtp_dtmf, "src", mux, GST_PAD_NAME (mux_sink)))
        {
          g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
                               "Cannot link the DTMF source");
          return FALSE;
        }
    }

  valve_src = gst_element_get_static_pad (self->send_valve, "src");
  rtpbin_sink = gst_element_request_pad_simple (rtpbin, "send_rtp_sink_0");
  if (rtpbin_sink == NULL || gst_pad_link (valve_src, rtpbin_sink) != GST_PAD_LINK_OK)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
                           "Cannot link the encoder to rtpbin");
      return FALSE;
    }
  return TRUE;
}

/* Local feedback for the keys we send: a pipeline of its own, so that the
 * tones never wait on the received stream's timing. */
/* A new pipeline on the system clock; the microphone and the speaker
 * follow it. GstPipeline's own choice would be the microphone's clock (the
 * most upstream one) or the speaker's, and either goes when its device is
 * switched: a pulsesink moved to another sink while slaved to the
 * microphone's clock stayed silent for about 10 s (null sinks, measured). */
static GstElement *
new_pipeline (const char *name)
{
  GstElement *pipeline = gst_object_ref_sink (gst_pipeline_new (name));
  g_autoptr(GstClock) clock = gst_system_clock_obtain ();

  gst_pipeline_use_clock (GST_PIPELINE (pipeline), clock);
  return pipeline;
}

static gboolean
build_feedback (HailMediaPipeline  *self,
                HailMediaSink      *sink,
                GError            **error)
{
  g_autoptr(GstCaps) caps = _hail_media_gst_raw_caps (self->ctx->rate);
  GstBin *bin;
  GstElement *filter, *out;

  self->feedback = new_pipeline (NULL);
  bin = GST_BIN (self->feedback);
  if ((self->tone_dtmf = _hail_media_gst_add (bin, "dtmfsrc", NULL, error)) == NULL
      || (filter = _hail_media_gst_add (bin, "capsfilter", NULL, error)) == NULL
      || (out = _hail_media_sink_build (sink, self->ctx->rate, NULL, error)) == NULL)
    return FALSE;
  gst_bin_add (bin, out);
  self->feedback_sink = out;
  g_object_set (filter, "caps", caps, NULL);
  return _hail_media_gst_link_chain (error, self->tone_dtmf, filter, out, NULL);
}

static gboolean
build_receive_output (HailMediaPipeline  *self,
                      GstBin             *bin,
                      HailMediaSink      *sink,
                      const char         *echo_probe,
                      GError            **error)
{
  GstElement *funnel;

  if ((funnel = _hail_media_gst_add (bin, "funnel", NULL, error)) == NULL
      || (self->out_level = _hail_media_gst_add (bin, "level", NULL, error)) == NULL)
    return FALSE;
  if ((self->sink_bin = _hail_media_sink_build (sink, self->ctx->rate, echo_probe, error)) == NULL)
    return FALSE;
  gst_bin_add (bin, self->sink_bin);
  g_object_set (self->out_level, "interval",
                (guint64) HAIL_MEDIA_LEVEL_INTERVAL_MS * GST_MSECOND, "post-messages", TRUE, NULL);
  self->ctx->output = gst_object_ref (funnel);
  if (!_hail_media_gst_link_chain (error, funnel, self->out_level, self->sink_bin, NULL))
    return FALSE;

  if (_hail_media_sink_is_device (sink) && self->rtp_dtmf != NULL)
    return build_feedback (self, sink, error);
  return TRUE;
}

static gboolean
link_udp (GstBin      *bin,
          GstElement  *rtpbin,
          GSocket     *socket,
          const char  *rtpbin_src,
          const char  *rtpbin_sink,
          const char  *host,
          guint16      port,
          GstCaps     *caps,
          GstElement **valve,
          Counters    *counters,
          GError     **error)
{
  GstElement *udpsrc, *udpsink;
  g_autoptr(GstPad) pad = NULL;
  g_autoptr(GstPad) peer = NULL;

  if ((udpsrc = _hail_media_gst_add (bin, "udpsrc", NULL, error)) == NULL
      || (udpsink = _hail_media_gst_add (bin, "udpsink", NULL, error)) == NULL
      || (valve != NULL && (*valve = _hail_media_gst_add (bin, "valve", NULL, error)) == NULL))
    return FALSE;
  /* Both ends use the session's socket; neither closes it. */
  g_object_set (udpsrc, "socket", socket, "close-socket", FALSE, "caps", caps, NULL);
  g_object_set (udpsink,
                "socket", socket,
                "close-socket", FALSE,
                "host", host,
                "port", (int) port,
                "sync", FALSE,
                "async", FALSE,
                NULL);

  if (valve != NULL && !_hail_media_gst_link_chain (error, udpsrc, *valve, NULL))
    return FALSE;
  pad = gst_element_get_static_pad (valve != NULL ? *valve : udpsrc, "src");
  peer = gst_element_request_pad_simple (rtpbin, rtpbin_sink);
  if (peer == NULL || gst_pad_link (pad, peer) != GST_PAD_LINK_OK)
    goto failed;
  gst_clear_object (&pad);
  gst_clear_object (&peer);

  pad = gst_element_get_static_pad (rtpbin, rtpbin_src);
  if (pad == NULL)
    pad = gst_element_request_pad_simple (rtpbin, rtpbin_src);
  peer = gst_element_get_static_pad (udpsink, "sink");
  if (pad == NULL || gst_pad_link (pad, peer) != GST_PAD_LINK_OK)
    goto failed;
  if (counters != NULL)
    add_counter (peer, counters);
  return TRUE;

failed:
  g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_PIPELINE,
               "Cannot link the UDP socket to rtpbin (%s)", rtpbin_sink);
  return FALSE;
}

static gboolean
build (HailMediaPipeline            *self,
       GSocket                      *rtp_socket,
       GSocket                      *rtcp_socket,
       const HailMediaStreamConfig  *config,
       HailMediaSource              *source,
       HailMediaSink                *sink,
       gboolean                      muted,
       GError                      **error)
{
  GstBin *bin = GST_BIN (self->pipeline);
  g_autofree char *echo_probe = NULL;
  g_autoptr(GstCaps) rtp_caps_in = NULL;
  g_autoptr(GstCaps) rtcp_caps_in = NULL;
  GstElement *rtpbin;
  guint16 rtcp_port = config->remote_rtcp_port != 0 ? config->remote_rtcp_port
                                                    : (guint16) (config->remote_rtp_port + 1);

  if ((rtpbin = _hail_media_gst_add (bin, "rtpbin", NULL, error)) == NULL)
    return FALSE;
  self->rtpbin = rtpbin;
  g_object_set (rtpbin,
                "latency", (guint) HAIL_MEDIA_JITTER_MIN_MS,
                "autoremove", TRUE,
                "max-streams", (guint) HAIL_MEDIA_MAX_STREAMS,
                NULL);
  g_signal_connect_data (rtpbin, "request-pt-map", G_CALLBACK (request_pt_map_cb),
                         stream_ctx_ref (self->ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "pad-added", G_CALLBACK (pad_added_cb),
                         stream_ctx_ref (self->ctx), stream_ctx_unref, 0);
  g_signal_connect_data (rtpbin, "pad-removed", G_CALLBACK (pad_removed_cb),
                         stream_ctx_ref (self->ctx), stream_ctx_unref, 0);
  if (self->ctx->srtp && !setup_srtp (self->ctx, rtpbin, config, error))
    return FALSE;

  /* Echo cancellation needs both ends on devices: the probe sits before
   * the speaker and the canceller after the microphone. */
  if (_hail_media_source_wants_echo_cancellation (source) && _hail_media_sink_is_device (sink))
    echo_probe = g_strdup_printf ("hail-echo-probe-%u", g_atomic_int_add (&echo_probe_serial, 1));

  if (!build_send (self, bin, rtpbin, config, source, echo_probe, muted, error)
      || !build_receive_output (self, bin, sink, echo_probe, error))
    return FALSE;

  rtp_caps_in = gst_caps_new_simple (self->ctx->srtp ? "application/x-srtp" : "application/x-rtp",
                                     "media", G_TYPE_STRING, "audio",
                                     "clock-rate", G_TYPE_INT, (int) self->ctx->clock_rate,
                                     NULL);
  rtcp_caps_in = gst_caps_new_empty_simple (self->ctx->srtp ? "application/x-srtcp"
                                                            : "application/x-rtcp");
  if (!link_udp (bin, rtpbin, rtp_socket, "send_rtp_src_0", "recv_rtp_sink_0",
                 config->remote_address, config->remote_rtp_port, rtp_caps_in,
                 &self->recv_valve, self->ctx->counters, error)
      || !link_udp (bin, rtpbin, rtcp_socket, "send_rtcp_src_0", "recv_rtcp_sink_0",
                    config->remote_address, rtcp_port, rtcp_caps_in, NULL, NULL, error))
    return FALSE;

  _hail_media_pipeline_set_direction (self, config->direction);
  return TRUE;
}

/* Builds the pipeline of one stream, in the NULL state. The sockets stay
 * the caller's. */
HailMediaPipeline *
_hail_media_pipeline_new (GSocket                      *rtp_socket,
                          GSocket                      *rtcp_socket,
                          const HailMediaStreamConfig  *config,
                          HailMediaSource              *source,
                          HailMediaSink                *sink,
                          gboolean                      muted,
                          GError                      **error)
{
  static guint serial;
  g_autofree char *name = g_strdup_printf ("hail-media-%u", g_atomic_int_add (&serial, 1));
  HailMediaPipeline *self = g_new0 (HailMediaPipeline, 1);
  StreamCtx *ctx = g_atomic_rc_box_new0 (StreamCtx);

  ctx->codec = config->codec;
  ctx->pt = config->payload_type;
  ctx->te_pt = config->telephone_event_pt;
  ctx->clock_rate = hail_media_codec_get_clock_rate (config->codec);
  ctx->rate = hail_media_codec_get_decoded_rate (config->codec);
  ctx->srtp = config->srtp_suite != HAIL_MEDIA_SRTP_SUITE_NONE;
  ctx->counters = g_atomic_rc_box_new0 (Counters);
  self->ctx = ctx;
  self->pipeline = new_pipeline (name);

  if (!build (self, rtp_socket, rtcp_socket, config, source, sink, muted, error))
    {
      _hail_media_pipeline_free (self);
      return NULL;
    }
  return self;
}

gboolean
_hail_media_pipeline_play (HailMediaPipeline  *self,
                           GError            **error)
{
  if (self->feedback != NULL
      && gst_element_set_state (self->feedback, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    g_debug ("The local key tones cannot play");
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) cause = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &cause, NULL);
      g_set_error (error, HAIL_MEDIA_ERROR,
                   msg != NULL && cause->domain == GST_RESOURCE_ERROR
                   ? HAIL_MEDIA_ERROR_DEVICE : HAIL_MEDIA_ERROR_PIPELINE,
                   "Cannot start the audio pipeline: %s",
                   cause != NULL ? cause->message : "state change failed");
      return FALSE;
    }
  return TRUE;
}

/* Stops at once: set to NULL, never an EOS through rtpbin (which can hang
 * with a live peer). A recording is finished first, bounded. */
void
_hail_media_pipeline_free (HailMediaPipeline *self)
{
  if (self == NULL)
    return;
  if (self->sink_bin != NULL)
    _hail_media_sink_finish (self->sink_bin, HAIL_MEDIA_FINISH_TIMEOUT_MS);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->sink_bin != NULL)
    _hail_media_sink_close (self->sink_bin);
  gst_clear_object (&self->pipeline);
  if (self->feedback != NULL)
    gst_element_set_state (self->feedback, GST_STATE_NULL);
  gst_clear_object (&self->feedback);
  g_atomic_rc_box_release_full (self->ctx, (GDestroyNotify) stream_ctx_clear);
  g_free (self);
}

GstElement *
_hail_media_pipeline_get_element (HailMediaPipeline *self)
{
  return self->pipeline;
}

/* Hold and resume without a rebuild: valves drop RTP in the directions not
 * negotiated, while RTCP keeps flowing both ways (RFC 3264 §5.1). */
void
_hail_media_pipeline_set_direction (HailMediaPipeline  *self,
                                    HailMediaDirection  direction)
{
  g_object_set (self->send_valve, "drop", !(direction & HAIL_MEDIA_DIRECTION_SENDONLY), NULL);
  g_object_set (self->recv_valve, "drop", !(direction & HAIL_MEDIA_DIRECTION_RECVONLY), NULL);
}

void
_hail_media_pipeline_set_muted (HailMediaPipeline *self,
                                gboolean           muted)
{
  g_object_set (self->volume, "mute", muted, NULL);
}

static void
send_dtmf_event (GstElement *element,
                 int         event,
                 gboolean    start)
{
  GstStructure *s = gst_structure_new ("dtmf-event",
                                       "type", G_TYPE_INT, 1,
                                       "number", G_TYPE_INT, event,
                                       "volume", G_TYPE_INT, 10,
                                       "start", G_TYPE_BOOLEAN, start,
                                       NULL);
  g_autoptr(GstPad) src = gst_element_get_static_pad (element, "src");

  /* The DTMF sources take their events upstream on their src pad;
   * gst_element_send_event() on them is refused. */
  gst_pad_send_event (src, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s));
}

/* Starts or stops RFC 4733 event @event (0-15); returns FALSE without a
 * negotiated telephone-event payload type. */
gboolean
_hail_media_pipeline_dtmf (HailMediaPipeline *self,
                           int                event,
                           gboolean           start)
{
  if (self->rtp_dtmf == NULL)
    return FALSE;
  send_dtmf_event (self->rtp_dtmf, event, start);
  if (self->tone_dtmf != NULL)
    send_dtmf_event (self->tone_dtmf, event, start);
  return TRUE;
}

/* Moves the running capture, built for @from, to @to's device; FALSE when
 * only a rebuild can switch them. */
gboolean
_hail_media_pipeline_move_input (HailMediaPipeline *self,
                                 HailMediaSource   *from,
                                 HailMediaSource   *to)
{
  return _hail_media_source_move (from, to, self->source_bin);
}

/* Moves the running playback, built for @from, to @to's device, the local
 * key tones with it; FALSE when only a rebuild can switch them. */
gboolean
_hail_media_pipeline_move_output (HailMediaPipeline *self,
                                  HailMediaSink     *from,
                                  HailMediaSink     *to)
{
  if (!_hail_media_sink_move (from, to, self->sink_bin))
    return FALSE;
  /* Key tones are a courtesy: on the old device is better than a gap in
   * the call. */
  if (self->feedback_sink != NULL && !_hail_media_sink_move (from, to, self->feedback_sink))
    g_debug ("The key tones stay on the previous speaker");
  return TRUE;
}

gboolean
_hail_media_pipeline_is_in_level (HailMediaPipeline *self,
                                  GstObject         *src)
{
  return src == GST_OBJECT (self->in_level);
}

gboolean
_hail_media_pipeline_is_out_level (HailMediaPipeline *self,
                                   GstObject         *src)
{
  return src == GST_OBJECT (self->out_level);
}

guint64
_hail_media_pipeline_get_sent (HailMediaPipeline *self)
{
  return (guint) g_atomic_int_get (&self->ctx->counters->sent);
}

guint64
_hail_media_pipeline_get_received (HailMediaPipeline *self)
{
  return (guint) g_atomic_int_get (&self->ctx->counters->received);
}

/* The jitter buffers' latency: rtpbin passes it on to every jitter buffer
 * it has and gives it to those it makes later. Each one whose latency
 * changes posts a LATENCY message; the session then has the pipeline
 * redistribute its latency, so that a device sink plays at the new delay
 * instead of dropping what now comes later than it expects. */
void
_hail_media_pipeline_set_latency (HailMediaPipeline *self,
                                  guint              latency_ms)
{
  g_object_set (self->rtpbin, "latency", latency_ms, NULL);
}

static gboolean
is_jitterbuffer (GstElement *element)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  return factory != NULL
         && g_strcmp0 (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)),
                       "rtpjitterbuffer") == 0;
}

static void
add_jitterbuffer_stats (const GValue *item,
                        gpointer      user_data)
{
  HailMediaJitterStats *stats = user_data;
  GstElement *element = g_value_get_object (item);
  g_autoptr(GstStructure) s = NULL;
  guint64 late = 0, lost = 0, jitter = 0, duplicates = 0;

  if (!is_jitterbuffer (element))
    return;
  g_object_get (element, "stats", &s, NULL);
  if (s == NULL)
    return;
  gst_structure_get_uint64 (s, "num-late", &late);
  gst_structure_get_uint64 (s, "num-lost", &lost);
  gst_structure_get_uint64 (s, "avg-jitter", &jitter);
  gst_structure_get_uint64 (s, "num-duplicates", &duplicates);
  /* A packet that comes after its playout time is "late" when the gap was
   * already played; with a device sink, which keeps the gap queued until
   * its time, it is a "duplicate" of that gap (measured: 40 of 60 held
   * packets, 2 counted late). True duplicates are rare on a voice path. */
  stats->late += late + duplicates;
  stats->lost += lost;
  stats->jitter_ms = MAX (stats->jitter_ms, (guint) MIN (jitter / GST_MSECOND, G_MAXUINT));
}

/* Sums the statistics of the jitter buffers rtpbin has now, one per
 * received SSRC (at most HAIL_MEDIA_MAX_STREAMS). */
void
_hail_media_pipeline_get_jitter_stats (HailMediaPipeline    *self,
                                       HailMediaJitterStats *stats)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (self->rtpbin));

  memset (stats, 0, sizeof *stats);
  /* A resync (an element added meanwhile) starts the sums over. */
  while (gst_iterator_foreach (it, add_jitterbuffer_stats, stats) == GST_ITERATOR_RESYNC)
    {
      memset (stats, 0, sizeof *stats);
      gst_iterator_resync (it);
    }
}
