"""Fresh random values in the published shapes of each family, and their look-alikes.

Shapes are taken from provider documentation and public rule sets (facts only):
FRED keys are 32 lowercase hex, Alpha Vantage keys 16 uppercase alphanumerics, AWS key
ids AKIA + 16 base32 characters with a 40-character secret, GitHub ghp_/gho_ + 36 and
github_pat_ 22_59, GitLab glpat- + 20, Slack xoxb-/xoxp- and hooks.slack.com/services,
Stripe sk_live_/rk_live_, Google AIza + 35, OpenAI sk-/sk-proj- with the T3BlbkFJ marker,
SendGrid SG.22.43, Twilio 32-hex auth tokens and SK + 32 hex, npm_ + 36, PyPI macaroons
pypi-AgEIcHlwaS5vcmc..., Docker Hub dckr_pat_ + 27, Azure 88-character account keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string

__all__ = ["Tokens"]

HEX = "0123456789abcdef"
UPPER_ALNUM = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
B32 = string.ascii_uppercase + "234567"
DJANGO_CHARS = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"
PEM_TYPES = ("RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY")
WORDS = (
    "amber", "basil", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "indigo",
    "juniper", "kestrel", "lumen", "maple", "nimbus", "onyx", "pepper", "quartz", "raven",
)  # fmt: skip


class Tokens:
    """All randomness of one corpus goes through one seeded `random.Random`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def hex(self, n: int) -> str:
        return self.chars(HEX, n)

    def b64(self, n_bytes: int) -> str:
        return base64.b64encode(self.rng.randbytes(n_bytes)).decode()

    # --- positives -------------------------------------------------------------------
    def fred(self) -> str:
        return self.hex(32)

    def alpha_vantage(self) -> str:
        return self.chars(UPPER_ALNUM, 16)

    def aws_access_key_id(self) -> str:
        return self.rng.choice(("AKIA", "AKIA", "ASIA")) + self.chars(B32, 16)

    def aws_secret_key(self) -> str:
        return self.chars(ALNUM + "+/", 40)

    def github_token(self) -> str:
        kind = self.rng.choice(("ghp_", "ghp_", "gho_", "github_pat_"))
        if kind == "github_pat_":
            return f"github_pat_11{self.chars(UPPER_ALNUM, 20)}_{self.chars(ALNUM, 59)}"
        return kind + self.chars(ALNUM, 36)

    def gitlab_token(self) -> str:
        return "glpat-" + self.chars(B64URL, 20)

    def slack_token(self) -> str:
        digits = string.digits
        if self.rng.random() < 0.6:
            return f"xoxb-{self.chars(digits, 12)}-{self.chars(digits, 13)}-{self.chars(ALNUM, 24)}"
        return (
            f"xoxp-{self.chars(digits, 12)}-{self.chars(digits, 12)}-"
            f"{self.chars(digits, 13)}-{self.hex(32)}"
        )

    def slack_webhook(self) -> str:
        return (
            f"https://hooks.slack.com/services/T{self.chars(UPPER_ALNUM, 10)}"
            f"/B{self.chars(UPPER_ALNUM, 10)}/{self.chars(ALNUM, 24)}"
        )

    def stripe_key(self) -> str:
        prefix = self.rng.choice(("sk_live_", "sk_live_", "rk_live_"))
        return prefix + "51" + self.chars(ALNUM, self.rng.choice((22, 97)))

    def google_api_key(self) -> str:
        return "AIzaSy" + self.chars(B64URL, 33)

    def openai_key(self) -> str:
        if self.rng.random() < 0.5:
            return f"sk-{self.chars(ALNUM, 20)}T3BlbkFJ{self.chars(ALNUM, 20)}"
        return f"sk-proj-{self.chars(B64URL, 74)}T3BlbkFJ{self.chars(B64URL, 74)}"

    def sendgrid_key(self) -> str:
        return f"SG.{self.chars(B64URL, 22)}.{self.chars(B64URL, 43)}"

    def twilio_sid(self) -> str:
        return "AC" + self.hex(32)

    def twilio_secret(self) -> str:
        return self.hex(32)

    def twilio_api_key(self) -> str:
        return "SK" + self.hex(32)

    def npm_token(self) -> str:
        return "npm_" + self.chars(ALNUM, 36)

    def pypi_token(self) -> str:
        body = base64.urlsafe_b64encode(self.rng.randbytes(self.rng.choice((60, 120)))).decode()
        return "pypi-AgEIcHlwaS5vcmc" + body.rstrip("=")

    def dockerhub_token(self) -> str:
        return "dckr_pat_" + self.chars(B64URL, 27)

    def azure_account_key(self) -> str:
        return self.b64(64)  # 88 characters ending in ==

    def private_key(self, pem_type: str | None = None) -> str:
        kind = pem_type or self.rng.choice(PEM_TYPES)
        if kind == "OPENSSH PRIVATE KEY":
            raw = b"openssh-key-v1\x00" + self.rng.randbytes(380)
        else:
            raw = bytes([0x30, 0x82]) + self.rng.randbytes(self.rng.choice((118, 600)))
        body = base64.b64encode(raw).decode()
        rows = [body[i : i + 64] for i in range(0, len(body), 64)]
        return "\n".join([f"-----BEGIN {kind}-----", *rows, f"-----END {kind}-----"])

    def jwt(self) -> str:
        def part(obj: dict[str, object]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        header = part({"alg": self.rng.choice(("HS256", "RS256")), "typ": "JWT"})
        claims = part(
            {
                "sub": str(self.rng.randrange(10**5, 10**7)),
                "scope": self.rng.choice(("read write", "admin", "deploy")),
                "iat": 1_760_000_000 + self.rng.randrange(10**7),
                "exp": 1_790_000_000 + self.rng.randrange(10**7),
            }
        )
        return f"{header}.{claims}.{self.chars(B64URL, 43)}"

    def django_secret_key(self) -> str:
        return self.chars(DJANGO_CHARS.replace("'", ""), 50)

    def password(self) -> str:
        style = self.rng.randrange(3)
        if style == 0:
            return self.chars(ALNUM + "!#%*+-_", self.rng.randrange(14, 24))
        if style == 1:
            w = self.rng.sample(WORDS, 3)
            return f"{w[0].title()}-{w[1]}-{w[2]}{self.rng.randrange(10, 99)}!"
        return self.chars(ALNUM, 8) + self.rng.choice("@#$&") + self.chars(ALNUM, 8)

    def url_password(self) -> str:
        """A password as it sits inside a URL: no reserved characters to percent-encode."""
        return self.chars(ALNUM, self.rng.randrange(14, 28))

    def opaque_token(self) -> str:
        return self.chars(ALNUM, self.rng.choice((32, 40, 48)))

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{self.rng.choice('89ab')}{h[17:20]}-{h[20:32]}"

    # --- decoy material ----------------------------------------------------------------
    def md5(self) -> str:
        return hashlib.md5(self.rng.randbytes(16)).hexdigest()

    def sha1(self) -> str:
        return hashlib.sha1(self.rng.randbytes(16)).hexdigest()

    def sha256(self) -> str:
        return hashlib.sha256(self.rng.randbytes(16)).hexdigest()

    def sri(self) -> str:
        return "sha512-" + base64.b64encode(hashlib.sha512(self.rng.randbytes(8)).digest()).decode()

    def version(self) -> str:
        r = self.rng.randrange
        return f"{r(0, 9)}.{r(0, 30)}.{r(0, 40)}"

    def build_id(self) -> str:
        return self.chars(UPPER_ALNUM, 16)  # Alpha Vantage-shaped, but a build id

    def trace_id(self) -> str:
        return self.hex(32)  # W3C trace-id: FRED-shaped, but not a key

    def image_data(self, n_bytes: int = 180) -> str:
        return "data:image/png;base64," + self.b64(n_bytes)
