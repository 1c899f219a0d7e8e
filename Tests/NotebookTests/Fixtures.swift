// Notebook JSON written by hand the way JupyterLab 4 saves it (nbformat 4.5: 1-space indent,
// sorted keys, sources and text as lists of lines, base64 PNG strings, ANSI escapes as \u001b).
import Foundation

enum Fixtures {
  /// A 4x3 PNG, base64, as a saved display would hold it.
  static let smallPNG = Data(ToyImages.png(width: 4, height: 3, shade: 40)).base64EncodedString()

  static let jupyterLab45 = #"""
    {
     "cells": [
      {
       "cell_type": "markdown",
       "id": "3f1c2a9e-5b7d-4e2a-9c1f-0a8b7c6d5e4f",
       "metadata": {},
       "source": [
        "# Explaining a cat\n",
        "\n",
        "Grad-CAM on the embedded model."
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 1,
       "id": "a1b2c3d4",
       "metadata": {
        "tags": [
         "skip-compare"
        ]
       },
       "outputs": [
        {
         "name": "stdout",
         "output_type": "stream",
         "text": [
          "loaded xception (22.9M parameters)\n",
          "took 812 ms\n"
         ]
        }
       ],
       "source": [
        "load model xception\n",
        "print hello"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 2,
       "id": "b2c3d4e5",
       "metadata": {},
       "outputs": [
        {
         "data": {
          "image/png": "\#(smallPNG)",
          "text/plain": [
           "<Figure size 4x3>"
          ]
         },
         "metadata": {
          "image/png": {
           "height": 3,
           "width": 4
          }
         },
         "output_type": "display_data"
        },
        {
         "data": {
          "application/json": {
           "class": "tabby",
           "score": 0.62,
           "top": [
            281,
            285
           ]
          },
          "text/html": [
           "<table>\n",
           "<tr><td>tabby</td><td>0.62</td></tr>\n",
           "</table>"
          ],
          "text/plain": [
           "tabby  0.62"
          ]
         },
         "execution_count": 2,
         "metadata": {},
         "output_type": "execute_result"
        }
       ],
       "source": [
        "gradcam layer=block14_sepconv2_act"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": 3,
       "id": "c3d4e5f6",
       "metadata": {
        "tags": [
         "raises-exception"
        ]
       },
       "outputs": [
        {
         "ename": "UnknownLayer",
         "evalue": "unknown layer 'blok14'",
         "output_type": "error",
         "traceback": [
          "\u001b[0;31merror\u001b[0m: unknown layer 'blok14'",
          " --> cell 4, line 1, column 15"
         ]
        }
       ],
       "source": [
        "gradcam layer=blok14"
       ]
      },
      {
       "attachments": {
        "cat.png": {
         "image/png": "\#(smallPNG)"
        }
       },
       "cell_type": "markdown",
       "id": "d4e5f6a7",
       "metadata": {},
       "source": [
        "![cat](attachment:cat.png) — «tabby» ✓"
       ]
      },
      {
       "cell_type": "code",
       "execution_count": null,
       "id": "e5f6a7b8",
       "metadata": {},
       "outputs": [],
       "source": []
      }
     ],
     "metadata": {
      "kernelspec": {
       "display_name": "Glimpse",
       "language": "glimpse",
       "name": "glimpse"
      },
      "language_info": {
       "file_extension": ".glimpse",
       "mimetype": "text/x-glimpse",
       "name": "glimpse",
       "version": "0.1.0"
      }
     },
     "nbformat": 4,
     "nbformat_minor": 5
    }

    """#

  /// nbformat 4.4 as classic Notebook 6 saved it: no ids, strings instead of line lists,
  /// base64 ending in a newline, one stream split over two outputs.
  static let classic44 = #"""
    {
     "cells": [
      {
       "cell_type": "code",
       "execution_count": 7,
       "metadata": {"collapsed": false},
       "outputs": [
        {"name": "stdout", "output_type": "stream", "text": "one\n"},
        {"name": "stdout", "output_type": "stream", "text": ["two\n"]},
        {"data": {"image/png": "\#(smallPNG)\n", "text/plain": "<image>"},
         "metadata": {}, "output_type": "display_data"}
       ],
       "source": "print one\nprint two"
      },
      {"cell_type": "raw", "metadata": {}, "source": "raw text"}
     ],
     "metadata": {"language_info": {"name": "glimpse"}},
     "nbformat": 4,
     "nbformat_minor": 4
    }
    """#
}
