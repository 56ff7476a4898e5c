"""`python -m llmcompare prepare-model` converts the bundled model once, so that `make run` starts ready."""

import pytest

from llmcompare.cli.main import main
from llmcompare.providers.local_hf import BUNDLED_FOLDER


def test_prepare_model_is_a_no_op_when_already_converted(tmp_path, capsys):
    folder = tmp_path / BUNDLED_FOLDER
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        (folder / name).write_text("already converted")
    assert main(["prepare-model", "--cache-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert f"bundled model ready in {folder}" in out and "Converting" not in err


def test_prepare_model_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "prepare-model" in capsys.readouterr().out
