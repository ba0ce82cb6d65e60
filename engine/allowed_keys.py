"""Which keys a closed mapping allows, found by walking the pydantic model along a key path.

Used to turn "unknown key" into "unknown key 'citaton' (did you mean 'citation'?); allowed: ...".
Unions are resolved by picking the branch whose fields best fit the keys actually present.
"""

from __future__ import annotations

import types
import typing

from pydantic import BaseModel


def allowed_keys(root: type[BaseModel], key_path: tuple, data: object) -> list[str] | None:
    """The keys allowed in the mapping at `key_path` of `data`, or None when it is not a model."""
    annotation: object = root
    node = data
    for part in key_path:
        annotation = _branch(annotation, node)
        annotation = _child(annotation, part)
        node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
        if annotation is None:
            return None
    model = _branch(annotation, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return sorted(_names(model))
    return None


def _has(node, part) -> bool:
    return part in node if isinstance(node, dict) else isinstance(part, int) and 0 <= part < len(node)


def _names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def _unwrap(annotation):
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _branch(annotation, node):
    """For a union, the model branch that fits `node`'s keys best (or the container branch)."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return annotation
    options = [_unwrap(a) for a in typing.get_args(annotation)]
    models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
    if isinstance(node, dict) and models:
        return max(models, key=lambda m: len(_names(m) & set(node)))
    containers = [o for o in options if typing.get_origin(o) in (list, dict)]
    return containers[0] if containers else (models[0] if models else annotation)


def _child(annotation, part):
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return typing.get_args(annotation)[-1]
    return None
