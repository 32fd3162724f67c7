#!/usr/bin/env bash
# Build the production image with the current model baked in (trains first when needed).
#   deploy/build-image.sh [IMAGE]      default IMAGE: sundhedshus-assistent:<git commit>
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD"
.venv/bin/python -m bot train
model=$(.venv/bin/python -c 'from bot.training import current_model_path; print(current_model_path().relative_to(__import__("pathlib").Path.cwd()))')
image=${1:-sundhedshus-assistent:$(git rev-parse --short HEAD)}
echo "build: $image with $model"
docker build -f deploy/Dockerfile --build-arg "MODEL=$model" -t "$image" .
