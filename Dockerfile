# Greetline server image: ffmpeg and espeak-ng from Debian, the package from this checkout.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ivr ./ivr
COPY audio ./audio
COPY prompts ./prompts
RUN pip install --no-cache-dir .

# Data lives in a volume: the SQLite database and the normalised greetings.
ENV GREETLINE_DATABASE_URL=sqlite:////data/greetline.db \
    GREETLINE_MEDIA_DIR=/data/media
VOLUME /data
EXPOSE 8000

# GREETLINE_TWILIO_AUTH_TOKEN and GREETLINE_PUBLIC_URL must be set at run time; serve refuses to start without a token.
CMD ["greetline", "serve", "--host", "0.0.0.0", "--port", "8000"]
