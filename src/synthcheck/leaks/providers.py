"""Provider token formats: tokens with a prefix or shape of their own.

SendGrid ``SG.``, OpenAI ``sk-``, GitLab ``glpat-``, npm ``npm_``, PyPI
``pypi-AgEIcHlwaS5vcmc``, Docker Hub ``dckr_pat_``, Stripe, Twilio, Azure connection
strings and SAS URLs, webhooks... The prefix is the evidence, so these rules need no
context; the guards still reject placeholders (``sk-xxxx``, ``SG.your-key``) and the
providers' documented examples. Formats learned from the providers' documentation and
public rule sets (facts only); spliced into :data:`synthcheck.leaks.rules.RULES`
before the context-dependent rules.
"""

from __future__ import annotations

from synthcheck.leaks import guards
from synthcheck.leaks.shapes import mixed as _mixed
from synthcheck.leaks.syntax import NOT_ALNUM_BEFORE, SEP, Rule, compile_rule

__all__ = ["PROVIDERS"]

_END = r"(?![A-Za-z0-9_-])"
_START = r"(?<![A-Za-z0-9_-])"


PROVIDERS: tuple[Rule, ...] = (
    Rule(
        "sendgrid-api-key",
        "SendGrid API key",
        "sendgrid",
        compile_rule(_START + r"(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})" + _END),
        (r"sg\.",),
        keep=3,
        validate=_mixed,
    ),
    Rule(
        "anthropic-api-key",
        "Anthropic API key",
        "anthropic",
        compile_rule(_START + r"(?P<secret>sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,120})" + _END),
        ("sk-ant-",),
        keep=7,
        validate=_mixed,
    ),
    Rule(
        "openai-api-key",
        "OpenAI API key",
        "openai",
        compile_rule(
            _START
            + r"(?P<secret>sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,200}"
            + r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}))"
            + _END
        ),
        ("sk-",),
        keep=3,
        validate=_mixed,
    ),
    Rule(
        "stripe-test-key",
        "Stripe test-mode secret key",
        "stripe",
        compile_rule(_START + r"(?P<secret>(?:sk|rk)_test_[A-Za-z0-9]{24,99})(?![A-Za-z0-9])"),
        ("sk_test_", "rk_test_"),
        keep=8,
        validate=_mixed,
    ),
    Rule(
        "gitlab-token",
        "GitLab token",
        "gitlab",
        compile_rule(
            _START
            + r"(?P<secret>gl(?:pat|dt|rt|ptt|cbt|ft|soat|agent)-[A-Za-z0-9_-]{20,64}"
            + r"(?:\.[0-9a-z]{2}\.[a-z0-9]{9})?)"
            + r"(?![A-Za-z0-9_-])"
        ),
        (r"gl(?:pat|dt|rt|ptt|cbt|ft|soat|agent)-",),
        keep=6,
        validate=_mixed,
    ),
    Rule(
        "npm-token",
        "npm access token",
        "npm",
        compile_rule(_START + r"(?P<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])"),
        ("npm_",),
        keep=4,
        validate=_mixed,
    ),
    Rule(
        "pypi-token",
        "PyPI upload token",
        "pypi",
        compile_rule(
            _START
            + r"(?P<secret>pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})"
            + r"(?![A-Za-z0-9_-])"
        ),
        ("pypi-ag",),
        keep=5,
        validate=lambda v: _mixed(v[20:]) and not guards.looks_like_non_secret(v[20:]),
    ),
    Rule(
        "docker-hub-token",
        "Docker Hub access token",
        "docker",
        compile_rule(_START + r"(?P<secret>dckr_(?:pat|oat)_[A-Za-z0-9_-]{24,64})" + _END),
        ("dckr_",),
        keep=9,
        validate=_mixed,
    ),
    Rule(
        "google-oauth-client-secret",
        "Google OAuth client secret",
        "google",
        compile_rule(_START + r"(?P<secret>GOCSPX-[A-Za-z0-9_-]{28})" + _END),
        ("gocspx-",),
        keep=7,
        validate=_mixed,
    ),
    Rule(
        "twilio-api-key",
        "Twilio API key",
        "twilio",
        compile_rule(NOT_ALNUM_BEFORE + r"(?P<secret>SK[0-9a-f]{32})(?![A-Za-z0-9])"),
        ("SK[0-9a-f]{32}",),
        case_anchors=True,
        keep=2,
        validate=_mixed,
    ),
    Rule(
        "twilio-account-sid",
        "Twilio account SID",
        "twilio",
        compile_rule(NOT_ALNUM_BEFORE + r"(?P<secret>AC[0-9a-f]{32})(?![A-Za-z0-9])"),
        ("AC[0-9a-f]{32}",),
        case_anchors=True,
        keep=2,
        requires=("twilio",),
        near=("twilio",),
        validate=_mixed,
    ),
    Rule(
        "twilio-auth-token",
        "Twilio auth token",
        "twilio",
        compile_rule(
            r"twilio[a-z0-9_.\-]{0,12}?(?:auth[_.\-]?)?(?:token|secret)"
            + SEP
            + r"(?P<secret>[0-9a-z]{32})(?![a-z0-9])"
        ),
        ("twilio",),
        lowered=True,
        named=True,
        validate=_mixed,
    ),
    Rule(
        "discord-webhook",
        "Discord webhook URL",
        "discord",
        compile_rule(
            r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/"
            r"(?P<secret>[0-9]{17,20}/[A-Za-z0-9_-]{60,68})(?![A-Za-z0-9_-])"
        ),
        (r"https://(?:(?:ptb|canary)\.)?discord",),
        validate=lambda v: _mixed(v.split("/")[1]),
    ),
    Rule(
        "teams-webhook",
        "Microsoft Teams incoming webhook URL",
        "teams",
        compile_rule(
            r"https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/"
            r"(?P<secret>[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36})"
        ),
        ("https://",),
        requires=(".webhook.office.com/",),
    ),
    Rule(
        "mailchimp-api-key",
        "Mailchimp API key",
        "mailchimp",
        compile_rule(NOT_ALNUM_BEFORE + r"(?P<secret>[0-9a-f]{32}-us[0-9]{1,2})(?![A-Za-z0-9])"),
        ("-us",),
        validate=lambda v: _mixed(v[:32]),
        back=32,
    ),
    Rule(
        "square-token",
        "Square access token / OAuth secret",
        "square",
        compile_rule(_START + r"(?P<secret>sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43})" + _END),
        ("sq0",),
        keep=7,
        validate=_mixed,
    ),
    Rule(
        "shopify-token",
        "Shopify access token",
        "shopify",
        compile_rule(_START + r"(?P<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})" + _END),
        ("shp",),
        keep=6,
        validate=lambda v: _mixed(v[6:]),
    ),
    Rule(
        "telegram-bot-token",
        "Telegram bot token",
        "telegram",
        compile_rule(r"(?<![0-9])(?P<secret>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])"),
        (":aa",),
        validate=lambda v: _mixed(v.split(":")[1]),
        back=10,
    ),
    Rule(
        "azure-ad-client-secret",
        "Azure AD (Entra ID) client secret",
        "azure",
        compile_rule(
            r"(?<![A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})"
            r"(?![A-Za-z0-9_~.-])"
        ),
        ("q~",),
        validate=_mixed,
        back=4,
    ),
    Rule(
        "huggingface-token",
        "Hugging Face access token",
        "huggingface",
        compile_rule(_START + r"(?P<secret>hf_[A-Za-z]{34})(?![A-Za-z0-9_-])"),
        ("hf_",),
        keep=3,
        validate=lambda v: _mixed(v[3:]),
    ),
)
