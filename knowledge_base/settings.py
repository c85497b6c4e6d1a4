"""The retriever's embedding settings: which model, and the form of the text it reads.

KB_EMBEDDING_MODEL   a hub name or a local path; empty: the project's fine-tuned model (.run/kb-model,
                     `make kb-model`) when built, else the packaged all-MiniLM-L6-v2 (knowledge_base.dense)
KB_EMBEDDING_INPUT   normalized (default: the NLU normalizer's output), segmented (underthesea words,
                     as Vietnamese bi-encoders expect) or raw

Part of the web app's settings (webapp/settings.py); the offline tools (``python -m
knowledge_base.learning``, scripts/eval_kb.py) read it at their start too. Stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from common.settings import Env

INPUT_FORMS = ("normalized", "segmented", "raw")


@dataclass(frozen=True)
class EmbeddingSettings:
    model: str = ""  # empty: knowledge_base.dense.default_model() decides
    input_form: str = "normalized"

    @classmethod
    def read(cls, env: Env) -> "EmbeddingSettings":
        return cls(model=env.text("KB_EMBEDDING_MODEL"),
                   input_form=env.choice("KB_EMBEDDING_INPUT", cls.input_form, INPUT_FORMS))

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "EmbeddingSettings":
        return cls.read(Env.of(environ))
